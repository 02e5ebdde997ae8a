using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Validation;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.Ops;
using CoDesign.Schema.V1;

namespace CoDesign.Testing;

/// <summary>
/// The one conformance suite: every operator of a numeric backend against the float64 reference on the same
/// inputs, within the tolerance derived from the backend's unit roundoff (<see cref="Tolerances"/>), and greedy
/// tokens identical to the reference on the tiny models. Each backend adds a thin subclass.
/// </summary>
public abstract class BackendConformanceTests
{
    protected abstract IBackend CreateBackend();

    /// <summary>How many of <see cref="TestModels.Requests"/> the token test runs, and how many tokens each; slow backends use fewer.</summary>
    protected virtual (int Requests, int NewTokens) TokenTest => (3, 3);

    IBackend _backend = null!;
    readonly ReferenceBackend _reference = new();
    static ModelWeights W => TestModels.TinyMoe;
    static LayerWeights L0 => W.Layers[0];

    [OneTimeSetUp] public void CreateOnce() => _backend = CreateBackend();
    [OneTimeTearDown] public void DisposeOnce() { _backend.Dispose(); _reference.Dispose(); }

    static double[] Random(int n, ulong seed, double scale = 1)
    {
        var rng = new SplitMix64(seed);
        return Enumerable.Range(0, n).Select(_ => (2 * rng.NextDouble() - 1) * scale * Math.Sqrt(3)).ToArray();
    }

    void AssertClose(OpKind op, double[] reference, double[] actual, int context = 1)
    {
        var stats = new OpErrorStats(op);
        stats.Add(reference, actual);
        double tol = Tolerances.For(op, W.Config, context, _backend.PrecisionOf(op));
        TestContext.Out.WriteLine($"{_backend.Name} {op.Name()}: max rel error {stats.MaxRel:E2} (tolerance {tol:E2})");
        Assert.That(stats.MaxRel, Is.LessThanOrEqualTo(tol), $"{op.Name()} on {_backend.Name}");
    }

    [Test]
    public void Linear()
    {
        var x = Random(3 * W.Hidden, 1);
        AssertClose(OpKind.QkvProjection, _reference.Linear(OpKind.QkvProjection, x, 3, L0.Q), _backend.Linear(OpKind.QkvProjection, x, 3, L0.Q));
    }

    [Test]
    public void LmHead()
    {
        var x = Random(2 * W.Hidden, 2);
        AssertClose(OpKind.LmHead, _reference.Linear(OpKind.LmHead, x, 2, W.LmHead), _backend.Linear(OpKind.LmHead, x, 2, W.LmHead));
    }

    [Test]
    public void RmsNorm()
    {
        var x = Random(3 * W.Hidden, 3, scale: 5);
        AssertClose(OpKind.Norm, _reference.RmsNorm(x, 3, L0.InputNorm, 1e-5), _backend.RmsNorm(x, 3, L0.InputNorm, 1e-5));
    }

    [Test]
    public void Rope()
    {
        int[] pos = [0, 17, 4000];
        var x = Random(3 * W.Heads * W.HeadDim, 4);
        AssertClose(OpKind.Rope, _reference.Rope(x, 3, W.Heads, W.HeadDim, pos, RopeFrequencies.Plain(W.HeadDim, 10000)), _backend.Rope(x, 3, W.Heads, W.HeadDim, pos, RopeFrequencies.Plain(W.HeadDim, 10000)));
    }

    [TestCase(4, 3, TestName = "Attention (prefill, 3 new rows after 4 cached)")]
    [TestCase(9, 1, TestName = "Attention (decode, 1 row after 9 cached)")]
    public void Attention(int cached, int rows)
    {
        int len = cached + rows, kvw = W.KvHeads * W.HeadDim;
        var a = new AttentionInput(Random(rows * W.Heads * W.HeadDim, 5), rows, Random(len * kvw, 6), Random(len * kvw, 7), len, W.Heads, W.KvHeads, W.HeadDim, cached);
        AssertClose(OpKind.Attention, _reference.Attention(a), _backend.Attention(a), len);
    }

    /// <summary>Both router conventions: renormalised top-k (Mixtral) and raw softmax probabilities (Qwen-MoE norm_topk_prob = false).</summary>
    [TestCase(true)]
    [TestCase(false)]
    public void Router(bool normalizeTopK)
    {
        var x = Random(4 * W.Hidden, 8);
        var r = _reference.Route(x, 4, L0.Router!, W.TopK, normalizeTopK);
        var b = _backend.Route(x, 4, L0.Router!, W.TopK, normalizeTopK);
        Assert.That(b.Experts, Is.EqualTo(r.Experts), "chosen experts");
        AssertClose(OpKind.Router, r.Dense((int)W.Config.NumExperts), b.Dense((int)W.Config.NumExperts));
        // Raw probabilities of k of 8 experts sum to less than 1; renormalised ones to 1.
        double sum0 = b.Weights.Take(W.TopK).Sum();
        Assert.That(sum0, normalizeTopK ? Is.EqualTo(1).Within(1e-6) : Is.LessThan(1 - 1e-3));
    }

    [Test]
    public void ExpertFfn()
    {
        var x = Random(3 * W.Hidden, 9);
        AssertClose(OpKind.Expert, _reference.GatedFfn(OpKind.Expert, x, 3, L0.Experts[5]), _backend.GatedFfn(OpKind.Expert, x, 3, L0.Experts[5]));
    }

    [Test]
    public void DenseFfn()
    {
        var d = TestModels.TinyDense;
        var x = Random(2 * d.Hidden, 10);
        var f = d.Layers[1].Dense!;
        var stats = new OpErrorStats(OpKind.Ffn);
        stats.Add(_reference.GatedFfn(OpKind.Ffn, x, 2, f), _backend.GatedFfn(OpKind.Ffn, x, 2, f));
        Assert.That(stats.MaxRel, Is.LessThanOrEqualTo(Tolerances.For(OpKind.Ffn, d.Config, 1, _backend.PrecisionOf(OpKind.Ffn))));
    }

    /// <summary>
    /// Greedy tokens equal the reference's, except where the reference's own top-2 margin is inside the logit
    /// tolerance derived for this backend (a tie at its precision): for FP32 backends that tolerance is ~1e-3 of
    /// the logit scale, far below the margins of these models, so the tokens must simply be identical.
    /// </summary>
    [TestCase("tiny-moe")]
    [TestCase("tiny-dense")]
    [TestCase("tiny-moe-raw-topk")]
    public void GreedyTokensMatchReference(string model)
    {
        var w = TestModels.Get(model);
        var (count, newTokens) = TokenTest;
        var reqs = TestModels.Requests(w.Vocab, newTokens).Take(count).ToList();
        var expected = TestModels.ReferenceRun(model, count, newTokens).Requests;
        var actual = new InferenceEngine(w, _backend, _backend, TestModels.Options()).Run(reqs).Requests;
        double logitTol = Tolerances.Logits(w.Config, reqs.Max(r => r.Prompt.Length + r.MaxNewTokens), _backend.PrecisionOf, _backend.PrecisionOf,
            op => op is OpKind.Attention or OpKind.Expert);
        var checks = expected.Zip(actual, (e, a) => Validator.CompareTokens(e, a, logitTol)).ToList();
        foreach (var c in checks) TestContext.Out.WriteLine($"request {c.RequestId}: {c.Verdict} ({string.Join(' ', c.Candidate)} vs {string.Join(' ', c.Reference)})");
        Assert.That(checks.Select(c => c.Verdict), Has.None.EqualTo("mismatch"));
        // Exact tokens where every operand is FP32; a narrower operand anywhere (the gpu backend's FP16 KV cache)
        // widens the logit tolerance, and a reference margin inside it is a tie either token may take.
        if (Enum.GetValues<OpKind>().All(op => _backend.PrecisionOf(op).Operand <= TensorDType.F32.UnitRoundoff()))
            Assert.That(actual.Select(r => r.Generated), Is.EqualTo(expected.Select(r => r.Generated)));
    }
}
