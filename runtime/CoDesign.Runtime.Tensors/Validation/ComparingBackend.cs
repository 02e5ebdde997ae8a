using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Validation;

/// <summary>
/// Runs every operator on the reference and on the candidate with the same inputs, records the candidate's
/// error per operator kind, and returns the reference's result, so that the run follows the reference exactly
/// and each error is the operator's own, not accumulated from earlier ones.
/// </summary>
public sealed class ComparingBackend(IBackend reference, IBackend candidate, Dictionary<OpKind, OpErrorStats> stats) : IBackend, IPimKernelBackend
{
    /// <summary>The candidate runs the Program's PIM kernels when it is a backend that takes them.</summary>
    public void UsePimKernels(Schema.V1.PimKernels kernels) => (candidate as IPimKernelBackend)?.UsePimKernels(kernels);

    readonly Lock _lock = new();

    public string Name => $"{candidate.Name} vs {reference.Name}";
    public string Device => candidate.Device;
    public Precision Precision => reference.Precision;

    void Record(OpKind k, double[] r, double[] c)
    {
        lock (_lock)
        {
            if (!stats.TryGetValue(k, out var s)) stats[k] = s = new OpErrorStats(k);
            s.Add(r, c);
        }
    }

    T Both<T>(OpKind k, Func<IBackend, T> op, Func<T, double[]> values)
    {
        var r = op(reference);
        var c = op(candidate);
        Record(k, values(r), values(c));
        return r;
    }

    static double[] Id(double[] a) => a;

    public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w) => Both(kind, b => b.Linear(kind, x, rows, w), Id);
    public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps) => Both(OpKind.Norm, b => b.RmsNorm(x, rows, gamma, eps), Id);
    public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope) =>
        Both(OpKind.Rope, b => b.Rope(x, rows, heads, headDim, positions, rope), Id);
    public double[] Attention(AttentionInput a) => Both(OpKind.Attention, b => b.Attention(a), Id);
    public RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK) =>
        Both(OpKind.Router, b => b.Route(x, rows, router, topK, normalizeTopK), r => r.Dense(router.Rows));
    public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w) => Both(kind, b => b.GatedFfn(kind, x, rows, w), Id);
    public void Dispose() { }
}
