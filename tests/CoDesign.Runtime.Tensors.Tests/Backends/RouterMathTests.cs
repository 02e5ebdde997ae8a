using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Tests.Backends;

/// <summary>Top-k routing weights with and without renormalisation (Hugging Face's norm_topk_prob).</summary>
public class RouterMathTests
{
    static readonly double[] Probs = [0.1, 0.4, 0.05, 0.3, 0.15];

    [Test]
    public void TopK_Renormalised_DividesByTheChosenProbabilities()
    {
        var experts = new int[2];
        var weights = new double[2];
        RouterMath.TopK(Probs, 2, experts, weights, normalize: true);
        Assert.That(experts, Is.EqualTo(new[] { 1, 3 }));
        Assert.That(weights, Is.EqualTo(new[] { 0.4 / 0.7, 0.3 / 0.7 }).Within(1e-15));
    }

    [Test]
    public void TopK_Raw_KeepsTheSoftmaxProbabilities()
    {
        var experts = new int[2];
        var weights = new double[2];
        RouterMath.TopK(Probs, 2, experts, weights, normalize: false);
        Assert.That(experts, Is.EqualTo(new[] { 1, 3 }));
        Assert.That(weights, Is.EqualTo(new[] { 0.4, 0.3 }));
    }

    [Test]
    public void NormTopK_IsTrueUnlessTheModelSaysFalse()
    {
        var c = new ModelConfig { NumExperts = 8 };
        Assert.That(RouterMath.NormTopK(c), Is.True, "unset: Mixtral-style");
        c.NormTopkProb = false;
        Assert.That(RouterMath.NormTopK(c), Is.False);
        c.NormTopkProb = true;
        Assert.That(RouterMath.NormTopK(c), Is.True);
    }

    [Test]
    public void RawTopKWeights_ChangeTheModelsLogits()
    {
        // Same weights, only the routing convention differs: the expert mix, hence every margin, must change.
        var reqs = TestModels.Requests(TestModels.TinyMoe.Vocab, newTokens: 2).Take(1).ToList();
        using var reference = new ReferenceBackend();
        var norm = new InferenceEngine(TestModels.TinyMoe, reference, reference, TestModels.Options()).Run(reqs);
        var raw = new InferenceEngine(TestModels.TinyMoeRawTopK, reference, reference, TestModels.Options()).Run(reqs);
        Assert.That(raw.Requests[0].Margins[0], Is.Not.EqualTo(norm.Requests[0].Margins[0]));
    }

    [Test]
    public void ModelDirectory_KeepsNormTopkProbThroughConfigJson()
    {
        var json = ModelDirectoryWriter.ConfigJson(TestModels.TinyMoeRawTopK.Config, TensorDType.F16);
        Assert.That(json, Does.Contain("\"norm_topk_prob\": false"));
        var back = Compiler.Models.HfConfigReader.Parse(json, "config.json");
        Assert.That((back.HasNormTopkProb, back.NormTopkProb), Is.EqualTo((true, false)));
        Assert.That(ModelDirectoryWriter.ConfigJson(TestModels.TinyMoe.Config, TensorDType.F16), Does.Not.Contain("norm_topk_prob"));
    }
}
