using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Quantization;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Tests.Quantization;

/// <summary>The GPTQ layout read bit-exactly, round-to-nearest quantisation's error, and the dequantise-in-GEMV kernel.</summary>
public class GptqWeightTests
{
    [Test]
    public void HandPackedInt4_DequantisesExactly()
    {
        // 8 x 8, one group: every column's word holds codes 0..7 for rows 0..7 (lowest row in the lowest nibble);
        // zero stored as 7 (v1: zero − 1) for every column; scale 0.5. So w[n, k] = 0.5 · (k − 8).
        var qweight = Enumerable.Repeat(0x76543210, 8).ToArray();
        var qzeros = new[] { 0x77777777 };
        var scales = Enumerable.Repeat(HalfBits.FloatToF16(0.5f), 8).ToArray();
        var w = new GptqWeight(4, 8, 8, 8, qweight, qzeros, scales).Dequantise();
        for (int n = 0; n < 8; n++)
            for (int k = 0; k < 8; k++) Assert.That(w[n * 8 + k], Is.EqualTo(0.5f * (k - 8)), $"w[{n}, {k}]");
    }

    [TestCase(4, 32)]
    [TestCase(4, 128)]
    [TestCase(8, 64)]
    public void Quantise_ErrorIsAtMostHalfAStep(int bits, int group)
    {
        const int n = 16, k = 256;
        var w = Random(n * k, 7);
        var q = GptqWeight.Quantise(w, n, k, bits, group);
        var d = q.Dequantise();
        double worst = 0;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < k; i++)
            {
                float s = q.Scale(i / group, j);
                // Half a step, plus the binary16 rounding of the scale over at most 2^bits − 1 steps.
                double bound = s / 2 * (1 + 1e-3 * ((1 << bits) - 1)) + 1e-6;
                double e = Math.Abs(d[j * k + i] - w[j * k + i]);
                Assert.That(e, Is.LessThanOrEqualTo(bound), $"w[{j}, {i}]");
                worst = Math.Max(worst, e);
            }
        Assert.That(worst, Is.GreaterThan(0), "quantisation must change something, or the test checks nothing");
    }

    [TestCase(4, 32, 1)]
    [TestCase(4, 64, 3)]
    [TestCase(8, 128, 2)]
    public void DequantiseInGemv_MatchesTheFloat64ReferenceOfTheDequantisedWeights(int bits, int group, int rows)
    {
        const int n = 24, k = 256;
        var q = GptqWeight.Quantise(Random(n * k, 11), n, k, bits, group);
        var x = Random(rows * k, 12);
        var d = q.Dequantise();
        var y = q.MatMul(x, rows);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
            {
                double exact = 0, magnitude = 0;
                for (int i = 0; i < k; i++) { exact += (double)x[r * k + i] * d[j * k + i]; magnitude += Math.Abs((double)x[r * k + i] * d[j * k + i]); }
                // float32 accumulation over K terms: |error| ≤ K·u·Σ|x·w| (u = 2^-24), a standard bound.
                Assert.That(Math.Abs(y[r * n + j] - exact), Is.LessThanOrEqualTo(k * Math.Pow(2, -24) * magnitude), $"y[{r}, {j}]");
            }
    }

    [Test]
    public void Int4Gemv_StaysCloseToTheFp32Weights()
    {
        const int n = 32, k = 512;
        var w = Random(n * k, 21);
        var x = Random(k, 22);
        var q = GptqWeight.Quantise(w, n, k, 4, 128);
        var y = q.MatMul(x, 1);
        double err = 0, norm = 0;
        for (int j = 0; j < n; j++)
        {
            double exact = 0;
            for (int i = 0; i < k; i++) exact += (double)x[i] * w[j * k + i];
            err += (y[j] - exact) * (y[j] - exact);
            norm += exact * exact;
        }
        // Uniform weights in [-1, 1): a 4-bit step is 2/15 per group, an rms error of step/√12 per weight against an rms
        // weight of 1/√3, i.e. about 6.7 % relative; summed over independent inputs the output's relative error is the same.
        double relative = Math.Sqrt(err / norm);
        Assert.That(relative, Is.InRange(0.01, 0.15));
    }

    [Test]
    public void GroupNotDividingK_IsAnInputError()
    {
        Assert.That(() => GptqWeight.Quantise(new float[8 * 96], 8, 96, 4, 64),
            Throws.TypeOf<InputException>().With.Message.Contains("does not divide in_features 96"));
        Assert.That(() => new GptqWeight(3, 8, 8, 8, new int[3], new int[1], new ushort[8]), Throws.TypeOf<InputException>());
    }

    static float[] Random(int count, ulong seed)
    {
        var rng = new SplitMix64(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }
}
