using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Validation;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Tests.Backends;

public class ValidatorTests
{
    [Test]
    public void CpuPassesWithEveryOperatorChecked()
    {
        var w = TestModels.TinyMoe;
        var v = Validator.Run(w, TestModels.Requests(w.Vocab, newTokens: 3), () => new CpuBackend(), () => new CpuBackend(), TestModels.Options());
        Assert.That(v.Pass, Is.True);
        Assert.That(v.Ops.Select(o => o.Op).Distinct(), Is.EquivalentTo(new[] { OpKind.Norm, OpKind.QkvProjection, OpKind.Rope, OpKind.Attention, OpKind.OutputProjection, OpKind.Router, OpKind.Expert, OpKind.LmHead }));
        Assert.That(v.Ops.All(o => o.MaxRelError > 0), Is.True, "float32 differs from float64 somewhere in every operator");
        Assert.That(v.Tokens.All(t => t.Verdict == "match"), Is.True);
    }

    /// <summary>A float32 backend whose linear layers round their outputs to bf16: an error of 2^-9, far above float32's.</summary>
    sealed class Bf16OutputsBackend : IBackend
    {
        readonly CpuBackend _cpu = new();
        public string Name => "cpu-bf16-outputs";
        public string Device => _cpu.Device;
        public Precision Precision => _cpu.Precision;   // claims float32: validation must catch the lie
        public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w) =>
            _cpu.Linear(kind, x, rows, w).Select(v => (double)HalfBits.RoundTo((float)v, TensorDType.BF16)).ToArray();
        public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps) => _cpu.RmsNorm(x, rows, gamma, eps);
        public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope) => _cpu.Rope(x, rows, heads, headDim, positions, rope);
        public double[] Attention(AttentionInput a) => _cpu.Attention(a);
        public RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK) => _cpu.Route(x, rows, router, topK, normalizeTopK);
        public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w) => _cpu.GatedFfn(kind, x, rows, w);
        public void Dispose() => _cpu.Dispose();
    }

    [Test]
    public void ToleranceCatchesAPrecisionLoss()
    {
        var w = TestModels.TinyDense;
        var v = Validator.Run(w, TestModels.Requests(w.Vocab, newTokens: 2), () => new Bf16OutputsBackend(), () => new CpuBackend(), TestModels.Options());
        Assert.That(v.Pass, Is.False);
        Assert.That(v.Ops.Where(o => !o.Pass).Select(o => (o.Side, o.Op)), Is.EquivalentTo(new[] { ("xpu", OpKind.QkvProjection), ("xpu", OpKind.OutputProjection), ("xpu", OpKind.LmHead) }));
    }

    /// <summary>
    /// Attention over an FP16 KV cache (the gpu backend's storage, so the tolerance is FP16's) with a real bug:
    /// each row misses its newest key (an off-by-one causal window). The looser tolerance must still catch it.
    /// </summary>
    sealed class Fp16KvOffByOneBackend : IBackend
    {
        readonly CpuBackend _cpu = new();
        public string Name => "cpu-fp16-kv-off-by-one";
        public string Device => _cpu.Device;
        public Precision Precision => _cpu.Precision;
        public Precision PrecisionOf(OpKind op) => op == OpKind.Attention ? Precision.Of(TensorDType.F16, TensorDType.F32) : Precision;
        public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w) => _cpu.Linear(kind, x, rows, w);
        public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps) => _cpu.RmsNorm(x, rows, gamma, eps);
        public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope) => _cpu.Rope(x, rows, heads, headDim, positions, rope);
        public double[] Attention(AttentionInput a)
        {
            // K and V rounded to binary16 as the device stores them; then the newest key dropped (except at position 0).
            var k = a.K.Select(v => (double)(Half)v).ToArray();
            var v = a.V.Select(x => (double)(Half)x).ToArray();
            if (a.FirstPosition == 0) return _cpu.Attention(a with { K = k, V = v });
            return _cpu.Attention(a with { K = k, V = v, FirstPosition = a.FirstPosition - 1 });
        }
        public RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK) => _cpu.Route(x, rows, router, topK, normalizeTopK);
        public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w) => _cpu.GatedFfn(kind, x, rows, w);
        public void Dispose() => _cpu.Dispose();
    }

    [Test]
    public void Fp16KvTolerance_StillCatchesAnAttentionBug()
    {
        var w = TestModels.TinyMoe;
        var reqs = TestModels.Requests(w.Vocab, newTokens: 3);
        var v = Validator.Run(w, reqs, () => new CpuBackend(), () => new Fp16KvOffByOneBackend(), TestModels.Options());
        var attention = v.Ops.Single(o => o.Side == "pim" && o.Op == OpKind.Attention);
        int maxContext = reqs.Max(r => r.Prompt.Length + r.MaxNewTokens);
        Assert.That(attention.Tolerance, Is.EqualTo(Tolerances.For(OpKind.Attention, w.Config, maxContext, Precision.Of(TensorDType.F16, TensorDType.F32))),
            "the tolerance is derived from the FP16 KV cache");
        Assert.That((attention.Pass, v.Pass), Is.EqualTo((false, false)), $"max rel error {attention.MaxRelError:E2}, tolerance {attention.Tolerance:E2}");
    }

    [Test]
    public void ToleranceFollowsTheFormula()
    {
        // fp32 operands and sums, K = 256: 8·(2 + 1 + 16)·2^-24
        Assert.That(Tolerances.Bound(Precision.Float32, new Reduction(256)), Is.EqualTo(8 * 19 * Math.Pow(2, -24)).Within(1e-20));
        // fp16 operands, fp32 sums (the Logic-PIM GEMM), hidden 256: 8·(2·2^-11 + 17·2^-24)
        Assert.That(Tolerances.For(OpKind.QkvProjection, TestModels.TinyMoe.Config, 1, Precision.Of(TensorDType.F16, TensorDType.F32)),
            Is.EqualTo(8 * (2 * Math.Pow(2, -11) + 17 * Math.Pow(2, -24))).Within(1e-15));
    }
}
