using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Planning;
using CoDesign.Machine.Stages;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Tests.Execution;

/// <summary>
/// The engine runs each operator on the backend of the processor the compiled Program places it on, for the
/// stage's shape: min-time (the compiler's default), paper (docs/reference/duplex-spec.md §3), and a device whose Logic-PIM is
/// too slow for anything, where min-time keeps even decode attention and the experts on the xPU.
/// </summary>
public class PlacementTests
{
    static Program Compile(Hardware hw, PlacementPolicy placement, CoProcessing co = CoProcessing.None) =>
        ProgramCompiler.Compile(TestModels.TinyMoe.Config, hw, new SystemOptions(CoProcessing: co, Placement: placement));

    /// <summary>Duplex with its Logic-PIM bandwidth cut 100x (peak FLOP/s kept): every operator is faster on the xPU.</summary>
    static Hardware SlowPim()
    {
        var hw = HardwarePresets.Duplex();
        var pim = hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);
        pim.MemoryBandwidthBytesPerS /= 100;
        hw.Name = "duplex-slow-pim";
        return hw;
    }

    [Test]
    public void PlanPlacesEachOperatorAsTheCompilersAnalysisDoes_AndFlipsWithTheStageShape()
    {
        var program = Compile(HardwarePresets.Duplex(), PlacementPolicy.MinTime);
        var plan = DuplexPlan.FromProgram(program);
        int layers = TestModels.TinyMoe.Layers.Length;
        var ops = new (string Name, OpKind Kind, OpPhase Phase)[]
        {
            ("qkv_projection", OpKind.QkvProjection, OpPhase.All), ("attention.score.decode", OpKind.Attention, OpPhase.Decode),
            ("attention.score.prefill", OpKind.Attention, OpPhase.Prefill), ("output_projection", OpKind.OutputProjection, OpPhase.All),
            ("lm_head", OpKind.LmHead, OpPhase.All),
        };
        var shapes = new[] { StageShape.Of(4, 16), StageShape.Of(64, 16), StageShape.Of(3, 16, 1, 8), StageShape.Of(0, 0, 2, 40) };
        foreach (var shape in shapes)
        {
            var place = plan.Place(shape, layers);
            var analysis = StageAnalyzer.Analyze(program, shape);
            foreach (var (name, kind, phase) in ops)
                if (analysis.Ops.FirstOrDefault(r => r.Op == name) is { } row)
                    Assert.That(place.OnPim(0, kind, phase), Is.EqualTo(row.Processor == "logic_pim"),
                        $"{name} with {shape.Tokens} tokens ({shape.DecodeRequests} decodes): the compiler says {row.Processor} ({row.Reason})");
        }
        // Op/B of a projection is about the stage's tokens: below the crossover (32 on duplex) on PIM, above it on the xPU.
        Assert.That(plan.Place(StageShape.Of(4, 16), layers).OnPim(0, OpKind.QkvProjection), Is.True);
        Assert.That(plan.Place(StageShape.Of(64, 16), layers).OnPim(0, OpKind.QkvProjection), Is.False);
        // Paper: the §3 rule whatever the shape.
        var paper = DuplexPlan.FromProgram(Compile(HardwarePresets.Duplex(), PlacementPolicy.Paper)).Place(StageShape.Of(4, 16), layers);
        Assert.That((paper.OnPim(0, OpKind.QkvProjection), paper.OnPim(0, OpKind.Attention, OpPhase.Decode), paper.LmHeadOnPim), Is.EqualTo((false, true, false)));
    }

    [Test]
    public void MinTimeExpertPlacement_FollowsTheExpertLatencyTable()
    {
        var fast = DuplexPlan.FromProgram(Compile(HardwarePresets.Duplex(), PlacementPolicy.MinTime));
        var slow = DuplexPlan.FromProgram(Compile(SlowPim(), PlacementPolicy.MinTime));
        var paper = DuplexPlan.FromProgram(Compile(HardwarePresets.Duplex(), PlacementPolicy.Paper));
        int[] few = [1, 0, 2, 1, 0, 0, 3, 1];
        // Tiny experts with a few tokens each are memory-bound: PIM's bandwidth wins, even in a mixed stage.
        Assert.That(fast.ExpertsOnPim(few, decodeOnly: false), Is.All.True);
        Assert.That(slow.ExpertsOnPim(few, decodeOnly: true), Is.All.False);
        Assert.That(paper.ExpertsOnPim(few, decodeOnly: true), Is.All.True);
        Assert.That(paper.ExpertsOnPim(few, decodeOnly: false), Is.All.False);
    }

    static EngineResult Run(Program program)
    {
        var w = TestModels.TinyMoe;
        using IBackend x = new CpuBackend(), p = new CpuBackend();
        return new InferenceEngine(w, x, p, new EngineOptions { MaxBatch = 2, Plan = DuplexPlan.FromProgram(program) })
            .Run(TestModels.Requests(w.Vocab, newTokens: 3));
    }

    static bool Ran(EngineResult r, string side, OpKind op) => r.OpTimes.Any(o => o.Side == side && o.Op == op);

    [Test]
    public void EngineRunsEachOperatorOnTheBackendItsPlacementNames()
    {
        var minTime = Run(Compile(HardwarePresets.Duplex(), PlacementPolicy.MinTime));
        var paper = Run(Compile(HardwarePresets.Duplex(), PlacementPolicy.Paper));
        var slow = Run(Compile(SlowPim(), PlacementPolicy.MinTime));

        // Min-time on duplex: these stages (at most 8 tokens) are all below the crossover (Op/B 32), so the
        // projections and the LM head go to PIM with the attention and the experts.
        foreach (var op in new[] { OpKind.QkvProjection, OpKind.OutputProjection, OpKind.LmHead, OpKind.Attention, OpKind.Expert })
            Assert.That((Ran(minTime, "pim", op), Ran(minTime, "xpu", op)), Is.EqualTo((true, false)), $"min-time {op}");
        Assert.That(minTime.Stages.Where(s => s.Kind == "mixed").SelectMany(s => s.OnPim), Does.Contain("attention.prefill"));

        // Paper (§3): projections and LM head on the xPU, decode attention on PIM, experts on PIM only when decode-only.
        foreach (var op in new[] { OpKind.QkvProjection, OpKind.OutputProjection, OpKind.LmHead })
            Assert.That((Ran(paper, "pim", op), Ran(paper, "xpu", op)), Is.EqualTo((false, true)), $"paper {op}");
        Assert.That(paper.Stages.Where(s => s.Kind == "decode-only").Select(s => s.DecodeAttentionOnPim), Is.All.GreaterThan(0));
        Assert.That(paper.Stages.Where(s => s.Kind == "mixed").Sum(s => s.ExpertRunsOnPim), Is.Zero);
        Assert.That(paper.Stages.Where(s => s.Kind == "decode-only").Sum(s => s.ExpertRunsOnXpu), Is.Zero);

        // A Logic-PIM too slow for anything: min-time keeps every operator, decode attention included, on the xPU.
        Assert.That(slow.OpTimes.Where(o => o.Side == "pim"), Is.Empty);
        Assert.That(slow.Stages.Select(s => (s.DecodeAttentionOnPim, s.ExpertRunsOnPim, s.OnPim.Count)), Is.All.EqualTo((0, 0, 0)));

        // Placement moves work between identical backends, never changes it.
        Assert.That(paper.Requests.Select(r => r.Generated), Is.EqualTo(minTime.Requests.Select(r => r.Generated)));
        Assert.That(slow.Requests.Select(r => r.Generated), Is.EqualTo(minTime.Requests.Select(r => r.Generated)));
    }

    [Test]
    public void EngineRefusesAProgramCompiledForAnotherModelDepth()
    {
        var config = TestModels.TinyMoe.Config.Clone();
        config.NumLayers += 1;
        config.MoeLayers.Add(true);
        var program = ProgramCompiler.Compile(config, HardwarePresets.Duplex(), new SystemOptions());
        using var cpu = new CpuBackend();
        var e = Assert.Throws<Schema.InputException>(() =>
            new InferenceEngine(TestModels.TinyMoe, cpu, cpu, new EngineOptions { Plan = DuplexPlan.FromProgram(program) }));
        Assert.That(e!.Message, Does.Contain("layers"));
    }
}
