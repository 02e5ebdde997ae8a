using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Validation;
using CoDesign.Runtime.Tensors.Weights;

namespace CoDesign.Runtime.Tensors.Tests.Validation;

/// <summary>
/// The engine's own code (embedding, positions, residuals, the expert combine, KV writes) runs for the reference
/// and the candidate alike, so only the independent float64 decoder can catch a bug planted there.
/// </summary>
public class EngineCheckTests
{
    static IEnumerable<TestCaseData> Models()
    {
        yield return new TestCaseData("dense").SetArgDisplayNames("llama");
        yield return new TestCaseData("mixtral").SetArgDisplayNames("mixtral");
        yield return new TestCaseData("qwen2moe").SetArgDisplayNames("qwen2-moe: biases, shared expert, raw top-k");
        yield return new TestCaseData("qwen3moe").SetArgDisplayNames("qwen3-moe: q_norm/k_norm");
    }

    static ModelWeights Model(string name) => name switch
    {
        "dense" => TestModels.TinyDense,
        "mixtral" => TestModels.TinyMoe,
        "qwen2moe" => OracleModels.QwenMoe(),
        _ => OracleModels.Qwen3Moe(),
    };

    static ValidationReport Validate(ModelWeights w, EngineFault fault = EngineFault.None)
    {
        var o = TestModels.Options(model: w);
        var options = new EngineOptions { MaxBatch = o.MaxBatch, Plan = o.Plan, Fault = fault };
        return Validator.Run(w, TestModels.Requests(w.Vocab, newTokens: 4), () => new CpuBackend(), () => new CpuBackend(), options);
    }

    [TestCaseSource(nameof(Models))]
    public void The_engine_agrees_with_the_independent_decoder(string model)
    {
        var v = Validate(Model(model));
        Assert.That(v.Engine, Is.Not.Null);
        var e = v.Engine!;
        Assert.That(e.Pass, Is.True, e.Reason);
        Assert.That(e.Steps, Is.EqualTo(TestModels.Requests(Model(model).Vocab, newTokens: 4).Sum(r => r.MaxNewTokens)), "every step of every request checked");
        Assert.That(e.MaxRelLogitDifference, Is.LessThan(1e-12), "float64 on both sides: only the summation order differs");
        Assert.That(v.Pass, Is.True);
    }

    [TestCase("DecodePositionOffByOne", "mixtral")]
    [TestCase("DecodePositionOffByOne", "dense")]
    [TestCase("ExpertWeightsReversed", "mixtral")]
    [TestCase("ExpertWeightsReversed", "qwen2moe")]
    public void A_bug_in_the_engine_fails_validation(string faultName, string model)
    {
        var fault = Enum.Parse<EngineFault>(faultName);
        var v = Validate(Model(model), fault);
        // The reference and the candidate share the bug: operator errors and token agreement cannot see it.
        Assert.That(v.Ops.All(o => o.Pass), Is.True, "per-operator checks pass: each operator is right given its inputs");
        Assert.That(v.Tokens.All(t => t.Verdict != "mismatch"), Is.True, "both runs make the same wrong tokens");
        Assert.That(v.Engine!.Pass, Is.False, $"{fault} not caught: max difference {v.Engine.MaxRelLogitDifference}");
        Assert.That(v.Engine.Reason, Does.Contain("independent forward"));
        Assert.That(v.Pass, Is.False);
    }
}
