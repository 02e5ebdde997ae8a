using MathNet.Numerics.Statistics;

namespace CoDesign.Runtime.Serving;

/// <summary>Collects latency samples and reports p50/p90/p99/mean (linear interpolation between order statistics).</summary>
public sealed class LatencyStats(int capacity = 1024)
{
    double[] _v = new double[Math.Max(16, capacity)];
    int _n;

    public int Count => _n;

    public void Add(double seconds)
    {
        if (_n == _v.Length) Array.Resize(ref _v, _v.Length * 2);
        _v[_n++] = seconds;
    }

    public Percentiles Summarize()
    {
        if (_n == 0) return new Percentiles(0, 0, 0, 0);
        var data = _v.AsSpan(0, _n).ToArray();
        double mean = ArrayStatistics.Mean(data);
        // QuantileCustomInplace selects in O(n) rather than sorting millions of TBT samples.
        double Q(double tau) => ArrayStatistics.QuantileCustomInplace(data, tau, QuantileDefinition.R7);
        return new Percentiles(Q(0.5), Q(0.9), Q(0.99), mean);
    }
}
