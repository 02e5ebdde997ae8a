using System.Runtime.CompilerServices;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.V1;
using MathNet.Numerics.LinearAlgebra;

namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>
/// The oracle: every operator in float64, matrix products through MathNet. Weights are the stored values
/// widened exactly, so its only error is float64 rounding (u = 2^-53), far below any backend it checks.
/// </summary>
public sealed class ReferenceBackend : IBackend
{
    // float64 copies of the weights, made once per tensor and dropped with it.
    readonly ConditionalWeakTable<HostTensor, Matrix<double>> _matrices = new();

    public string Name => "reference";
    public string Device => "host CPU, float64 (MathNet managed provider)";
    public Precision Precision => Precision.Float64;

    Matrix<double> Weight(HostTensor w) => _matrices.GetValue(w, t =>
    {
        int n = t.Rows, k = t.Cols;
        var v = t.Values;
        return Matrix<double>.Build.Dense(n, k, (i, j) => v[(long)i * k + j]);
    });

    public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w)
    {
        var wm = Weight(w);
        var xm = Matrix<double>.Build.Dense(rows, wm.ColumnCount, (i, j) => x[i * wm.ColumnCount + j]);
        return xm.TransposeAndMultiply(wm).ToRowMajorArray();
    }

    public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps)
    {
        int h = gamma.Cols;
        var y = new double[rows * h];
        for (int r = 0; r < rows; r++)
        {
            double ss = 0;
            for (int i = 0; i < h; i++) ss += x[r * h + i] * x[r * h + i];
            double inv = 1 / Math.Sqrt(ss / h + eps);
            for (int i = 0; i < h; i++) y[r * h + i] = x[r * h + i] * inv * gamma.Values[i];
        }
        return y;
    }

    public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope)
    {
        var y = (double[])x.Clone();
        int half = headDim / 2;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < half; i++)
            {
                var (s, c) = Math.SinCos(positions[r] * rope.Inverse[i]);
                for (int h = 0; h < heads; h++)
                {
                    int b = r * heads * headDim + h * headDim;
                    double x1 = x[b + i], x2 = x[b + i + half];
                    y[b + i] = x1 * c - x2 * s;
                    y[b + i + half] = x2 * c + x1 * s;
                }
            }
        return y;
    }

    public double[] Attention(AttentionInput a)
    {
        int d = a.HeadDim, group = a.Heads / a.KvHeads, qStride = a.Heads * d, kvStride = a.KvHeads * d;
        double scale = 1 / Math.Sqrt(d);
        var y = new double[a.Rows * qStride];
        var p = new double[a.CacheLength];
        for (int r = 0; r < a.Rows; r++)
        {
            int visible = a.FirstPosition + r + 1;
            for (int h = 0; h < a.Heads; h++)
            {
                int kvh = h / group;
                double max = double.NegativeInfinity;
                for (int j = 0; j < visible; j++)
                {
                    double s = 0;
                    for (int i = 0; i < d; i++) s += a.Q[r * qStride + h * d + i] * a.K[j * kvStride + kvh * d + i];
                    p[j] = s * scale;
                    max = Math.Max(max, p[j]);
                }
                double sum = 0;
                for (int j = 0; j < visible; j++) { p[j] = Math.Exp(p[j] - max); sum += p[j]; }
                for (int j = 0; j < visible; j++)
                {
                    double pj = p[j] / sum;
                    for (int i = 0; i < d; i++) y[r * qStride + h * d + i] += pj * a.V[j * kvStride + kvh * d + i];
                }
            }
        }
        return y;
    }

    public RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK)
    {
        int e = router.Rows;
        var logits = Linear(OpKind.Router, x, rows, router);
        var experts = new int[rows * topK];
        var weights = new double[rows * topK];
        var probs = new double[e];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < e; j++) max = Math.Max(max, logits[r * e + j]);
            for (int j = 0; j < e; j++) { probs[j] = Math.Exp(logits[r * e + j] - max); sum += probs[j]; }
            for (int j = 0; j < e; j++) probs[j] /= sum;
            RouterMath.TopK(probs, topK, experts.AsSpan(r * topK, topK), weights.AsSpan(r * topK, topK), normalizeTopK);
        }
        return new RouterResult(experts, weights, topK);
    }

    public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w)
    {
        var g = Linear(kind, x, rows, w.Gate);
        var u = Linear(kind, x, rows, w.Up);
        for (int i = 0; i < g.Length; i++) g[i] = g[i] / (1 + Math.Exp(-g[i])) * u[i];
        return Linear(kind, g, rows, w.Down);
    }

    public void Dispose() { }
}
