using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Machine.Decisions;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;
using CoProcessing = CoDesign.Schema.V1.CoProcessing;

namespace CoDesign.Runtime.Tensors.Tests.Execution;

public class EngineTests
{
    [Test]
    public void KvCacheGrowsAndFreesUnderContinuousBatching()
    {
        var w = TestModels.TinyMoe;
        var reqs = TestModels.Requests(w.Vocab, newTokens: 3);
        using var cpu = new CpuBackend();
        var r = new InferenceEngine(w, cpu, cpu, TestModels.Options(maxBatch: 2)).Run(reqs);
        var ev = r.KvEvents.ToList();
        // Requests 0 and 1 join at stage 0; request 2 waits for a free slot and joins in the stage after one finishes.
        Assert.That(ev.Take(2).Select(e => (e.RequestId, e.Allocated, e.Stage)), Is.EqualTo(new[] { (0, true, 0), (1, true, 0) }));
        var firstFree = ev.First(e => !e.Allocated);
        var alloc2 = ev.Single(e => e.RequestId == 2 && e.Allocated);
        Assert.That(alloc2.Stage, Is.EqualTo(firstFree.Stage + 1));
        Assert.That(ev.IndexOf(alloc2), Is.GreaterThan(ev.IndexOf(firstFree)));
        // Each cache holds prompt + new tokens for every layer, K and V, at 8 bytes an element.
        long bytes0 = 2L * w.Layers.Length * (reqs[0].Prompt.Length + 3) * w.KvHeads * w.HeadDim * 8;
        Assert.That(ev[0].Bytes, Is.EqualTo(bytes0));
        Assert.That(ev.Count(e => e.Allocated), Is.EqualTo(3));
        Assert.That(ev.Count(e => !e.Allocated), Is.EqualTo(3));
        Assert.That(r.PeakKvBytes, Is.EqualTo(ev.Max(e => e.BytesInUse)));
        Assert.That(r.PeakKvBytes, Is.LessThan(ev.Where(e => e.Allocated).Sum(e => e.Bytes)), "never all three caches at once");
        Assert.That(r.KvBytesAtEnd, Is.Zero);
        Assert.That(r.Stages.Select(s => s.Kind), Does.Contain("mixed").And.Contain("decode-only"));
        Assert.That(r.Requests.Select(q => q.Generated.Length), Is.EqualTo(reqs.Select(q => q.MaxNewTokens)));
    }

    [Test]
    public void BatchedRequestsGenerateWhatTheyGenerateAlone()
    {
        var w = TestModels.TinyMoe;
        var reqs = TestModels.Requests(w.Vocab, newTokens: 3);
        using var cpu = new CpuBackend();
        var batched = new InferenceEngine(w, cpu, cpu, TestModels.Options(maxBatch: 3)).Run(reqs);
        foreach (var q in reqs)
        {
            var alone = new InferenceEngine(w, cpu, cpu, TestModels.Options(maxBatch: 1)).Run([q]);
            Assert.That(alone.Requests[0].Generated, Is.EqualTo(batched.Requests[q.Id].Generated), $"request {q.Id}");
        }
    }

    [Test]
    public void CoProcessingOnAndOffGiveIdenticalResultsOnOneBackendKind()
    {
        var w = TestModels.TinyMoe;
        var reqs = TestModels.Requests(w.Vocab, newTokens: 4);
        using IBackend x = new CpuBackend(), p = new CpuBackend();
        var on = new InferenceEngine(w, x, p, TestModels.Options(coProcessing: true)).Run(reqs);
        var off = new InferenceEngine(w, x, p, TestModels.Options(coProcessing: false)).Run(reqs);
        Assert.That(on.Requests.Select(r => r.Generated), Is.EqualTo(off.Requests.Select(r => r.Generated)));
        // Rows are computed independently and combined in routing order, so placement cannot change a single bit.
        Assert.That(on.Requests.SelectMany(r => r.Margins), Is.EqualTo(off.Requests.SelectMany(r => r.Margins)));
        // Both modes really used both sides: co-processing split experts in mixed stages; plain Duplex kept them on the xPU there.
        Assert.That(on.Stages.Where(s => s.Kind == "mixed").Sum(s => s.ExpertRunsOnPim), Is.GreaterThan(0));
        Assert.That(off.Stages.Where(s => s.Kind == "mixed").Sum(s => s.ExpertRunsOnPim), Is.Zero);
        Assert.That(off.Stages.Where(s => s.Kind == "decode-only").Sum(s => s.ExpertRunsOnXpu), Is.Zero);
        Assert.That(on.OpTimes.Any(o => o.Side == "pim" && o.Op == OpKind.Attention), Is.True);
    }

    [Test]
    public void CoProcessingOnAndOffGiveTheSameTokensWithAReferencePimSide()
    {
        var w = TestModels.TinyDense;
        var reqs = TestModels.Requests(w.Vocab, newTokens: 3);
        using IBackend x = new CpuBackend(), p = new ReferenceBackend();
        var on = new InferenceEngine(w, x, p, TestModels.Options(coProcessing: true)).Run(reqs);
        var off = new InferenceEngine(w, x, p, TestModels.Options(coProcessing: false)).Run(reqs);
        Assert.That(on.Requests.Select(r => r.Generated), Is.EqualTo(off.Requests.Select(r => r.Generated)));
    }

    [Test]
    public void ExpertSplitMovesLightExpertsToPimAndKeepsSpacesTogether()
    {
        Assert.That(ModelPresets.TryGet("mixtral-8x7b", out var mixtral), Is.True);
        // Mixtral-sized experts (4 devices, whole experts each): one with many tokens (compute-heavy, stays on the
        // xPU) and light ones (PIM), split by the decision layer both executions call.
        var program = ProgramCompiler.Compile(ModelLoader.WithTypes(mixtral!, null, null, null), HardwarePresets.Get("duplex"),
            new SystemOptions(Devices: 4, CoProcessing: CoProcessing.Both));
        var decide = new StageDecisions(program);
        int[] tokens = [512, 1, 2, 0, 1, 3, 1, 2];
        // Four bank-bundle spaces, experts round-robin: experts sharing a space go to the same processor.
        uint[] space = [0, 1, 2, 3, 0, 1, 2, 3];
        var grouped = decide.ExpertsOnPim(tokens, space, decodeOnlyStage: false);
        for (int e = 0; e < 8; e++)
            for (int f = 0; f < 8; f++)
                if (e % 4 == f % 4) Assert.That(grouped[e], Is.EqualTo(grouped[f]), $"experts {e} and {f} share a space");
        Assert.That(grouped[0] || grouped[4], Is.False, "space 0 holds the heavy expert");
        Assert.That(grouped.Count(b => b), Is.GreaterThan(0), "some light experts move to PIM");
        // The split is the exact least max(xPU, PIM) over the spaces: no other assignment of spaces is faster.
        double Max(bool[] onPim) => Math.Max(Enumerable.Range(0, 8).Where(e => !onPim[e]).Sum(e => decide.Experts.Seconds(0, tokens[e])),
            Enumerable.Range(0, 8).Where(e => onPim[e]).Sum(e => decide.Experts.Seconds(1, tokens[e])));
        for (int mask = 0; mask < 16; mask++)
            Assert.That(Max(grouped), Is.LessThanOrEqualTo(Max([.. Enumerable.Range(0, 8).Select(e => (mask >> (e % 4) & 1) != 0)]) + 1e-15));
    }

    [Test]
    public void PlanComesFromTheCompiledProgram()
    {
        var w = TestModels.TinyMoe;
        var program = ProgramCompiler.Compile(w.Config, HardwarePresets.Get("duplex"), new SystemOptions(CoProcessing: CoProcessing.Experts));
        var plan = DuplexPlan.FromProgram(program);
        Assert.That((plan.CoExperts, plan.CoAttention), Is.EqualTo((true, false)));
        Assert.That(program.ExpertSpace.Distinct().Count(), Is.GreaterThan(1));
        // The table's own numbers: one token through a tiny expert is cheaper on Logic-PIM (4x bandwidth).
        Assert.That(plan.Decisions.Experts.Seconds(1, 1), Is.LessThan(plan.Decisions.Experts.Seconds(0, 1)));
        var reqs = TestModels.Requests(w.Vocab, newTokens: 3);
        using var cpu = new CpuBackend();
        var fromProgram = new InferenceEngine(w, cpu, cpu, new EngineOptions { MaxBatch = 2, Plan = plan }).Run(reqs);
        var roofline = new InferenceEngine(w, cpu, cpu, TestModels.Options()).Run(reqs);
        Assert.That(fromProgram.Requests.Select(r => r.Generated), Is.EqualTo(roofline.Requests.Select(r => r.Generated)));
        Assert.That(fromProgram.Stages.Sum(s => s.ExpertRunsOnPim), Is.GreaterThan(0));
    }
}
