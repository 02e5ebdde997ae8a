using System.Diagnostics;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// Forwards to a backend and accumulates wall time and calls per operator kind (thread-safe), and keeps each call's
/// interval until <see cref="TakeIntervals"/> so the engine can measure how long the two sides really overlapped.
/// </summary>
public sealed class TimedBackend(IBackend inner) : IBackend
{
    readonly List<(long Start, long End)> _intervals = [];
    // Indexed by the enum's value, which need not be dense (OP_KIND_PARTIAL_SUM_REDUCTION is 125).
    static readonly int Kinds = Enum.GetValues<OpKind>().Max(k => (int)k) + 1;
    readonly long[] _ticks = new long[Kinds];
    readonly long[] _calls = new long[Kinds];
    long _total;

    public IBackend Inner => inner;
    public string Name => inner.Name;
    public string Device => inner.Device;
    public Precision Precision => inner.Precision;
    public Precision PrecisionOf(OpKind op) => inner.PrecisionOf(op);

    public double TotalSeconds => Interlocked.Read(ref _total) / (double)Stopwatch.Frequency;
    public double Seconds(OpKind k) => Interlocked.Read(ref _ticks[(int)k]) / (double)Stopwatch.Frequency;
    public long Calls(OpKind k) => Interlocked.Read(ref _calls[(int)k]);

    /// <summary>The calls' intervals (Stopwatch ticks) since the last take, and forget them.</summary>
    public List<(long Start, long End)> TakeIntervals()
    {
        lock (_intervals)
        {
            var list = new List<(long, long)>(_intervals);
            _intervals.Clear();
            return list;
        }
    }

    T Time<T>(OpKind k, Func<T> f)
    {
        long t0 = Stopwatch.GetTimestamp();
        var r = f();
        long dt = Stopwatch.GetTimestamp() - t0;
        Interlocked.Add(ref _ticks[(int)k], dt);
        Interlocked.Add(ref _total, dt);
        Interlocked.Increment(ref _calls[(int)k]);
        lock (_intervals) _intervals.Add((t0, t0 + dt));
        return r;
    }

    public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w) => Time(kind, () => inner.Linear(kind, x, rows, w));
    public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps) => Time(OpKind.Norm, () => inner.RmsNorm(x, rows, gamma, eps));
    public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope) =>
        Time(OpKind.Rope, () => inner.Rope(x, rows, heads, headDim, positions, rope));
    public double[] Attention(AttentionInput a) => Time(OpKind.Attention, () => inner.Attention(a));
    public RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK) =>
        Time(OpKind.Router, () => inner.Route(x, rows, router, topK, normalizeTopK));
    public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w) => Time(kind, () => inner.GatedFfn(kind, x, rows, w));
    public void Dispose() => inner.Dispose();
}
