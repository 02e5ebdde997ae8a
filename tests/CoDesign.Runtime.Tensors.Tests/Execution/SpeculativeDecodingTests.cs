using CoDesign.Cli;
using CoDesign.Compiler.Models;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;

namespace CoDesign.Runtime.Tensors.Tests.Execution;

/// <summary>Real speculative decoding: greedy verification gives exactly the tokens of plain greedy decoding.</summary>
public class SpeculativeDecodingTests
{
    static ModelWeights Draft => RandomModel.Create(TinyPresets.TryGet("tiny-draft")!, 7, TensorDType.F16);

    static int[][] Plain(ModelWeights w, IReadOnlyList<Request> reqs, CpuBackend cpu) =>
        [.. new InferenceEngine(w, cpu, cpu, TestModels.Options(maxBatch: 4, model: w)).Run(reqs).Requests.Select(r => r.Generated)];

    [TestCase(1)]
    [TestCase(3)]
    public void TokensEqualPlainGreedy_WithASmallDraft(int k)
    {
        var w = TestModels.TinyMoe;
        var reqs = TestModels.Requests(w.Vocab, newTokens: 6);
        using var cpu = new CpuBackend();
        var plain = Plain(w, reqs, cpu);
        var d = Draft;
        var spec = new SpeculativeDecoder(new InferenceEngine(w, cpu, cpu, TestModels.Options(maxBatch: 4, model: w)),
            new InferenceEngine(d, cpu, cpu, TestModels.Options(maxBatch: 4, model: d)), k, 4).Run(reqs);
        Assert.That(spec.Requests.Select(r => r.Generated), Is.EqualTo(plain));
        Assert.That(spec.Proposed, Is.GreaterThan(0));
        Assert.That(spec.Accepted, Is.InRange(0, spec.Proposed));
    }

    [Test]
    public void TheTargetAsItsOwnDraft_AcceptsEverything_InFewerTargetSteps()
    {
        var w = TestModels.TinyDense;
        var reqs = TestModels.Requests(w.Vocab, newTokens: 9);
        using var cpu = new CpuBackend();
        var plain = Plain(w, reqs, cpu);
        var spec = new SpeculativeDecoder(new InferenceEngine(w, cpu, cpu, TestModels.Options(maxBatch: 8, model: w)),
            new InferenceEngine(w, cpu, cpu, TestModels.Options(maxBatch: 8, model: w)), 4, 8).Run(reqs);
        Assert.That(spec.Requests.Select(r => r.Generated), Is.EqualTo(plain));
        Assert.That(spec.AcceptanceRate, Is.EqualTo(1.0));
        // 9 tokens: 1 from prefill, then 8 more in steps of up to 5 (4 accepted + the target's own): 2 verify steps.
        Assert.That(spec.VerifySteps, Is.EqualTo(2));
    }

    [Test]
    public void Cli_RunWithDraft_ReportsAcceptance_AndBadKExits2()
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CodesignApp.Run(["run", "--model", "tiny-dense", "--draft-model", "tiny-draft", "--spec-k", "2", "--max-new-tokens", "4"], o, e);
        Assert.That(code, Is.Zero, e.ToString());
        Assert.That(o.ToString(), Does.Contain("acceptance rate"));
        var plain = new StringWriter();
        Assert.That(CodesignApp.Run(["run", "--model", "tiny-dense", "--max-new-tokens", "4", "--format", "csv"], plain, new StringWriter()), Is.Zero);
        var spec = new StringWriter();
        Assert.That(CodesignApp.Run(["run", "--model", "tiny-dense", "--draft-model", "tiny-draft", "--spec-k", "2", "--max-new-tokens", "4", "--format", "csv"], spec, new StringWriter()), Is.Zero);
        string Tokens(string csv) => string.Join("|", csv.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[2]));
        Assert.That(Tokens(spec.ToString()), Is.EqualTo(Tokens(plain.ToString())));
        foreach (var args in new[] { new[] { "--spec-k", "0", "--draft-model", "tiny-draft" }, ["--spec-k", "2"] })
        {
            var err = new StringWriter();
            Assert.That(CodesignApp.Run(["run", "--model", "tiny-dense", "--max-new-tokens", "2", .. args], new StringWriter(), err), Is.EqualTo(2));
            Assert.That(err.ToString().Trim().Split('\n'), Has.Length.EqualTo(1));
        }
    }
}
