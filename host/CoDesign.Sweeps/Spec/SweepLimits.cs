using CoDesign.Schema;

namespace CoDesign.Sweeps.Spec;

/// <summary>
/// The largest sweep one command expands (docs/input-limits.md), counted before any point is built so a
/// product of long axes is refused at once instead of filling memory. Our bound: 100,000 points is ~400x
/// the Duplex study (255 points in about 40 s on the 2-core container, docs/benchmarks.md), hours of work;
/// shard a larger design space into several sweep files.
/// </summary>
public static class SweepLimits
{
    public const int MaxPoints = 100_000;

    public static void Check(SweepSpec spec)
    {
        double total = 0;
        foreach (var g in spec.Groups)
        {
            // In floating point: a product of many axes would wrap an integer.
            double n = g.Zip ? (g.Axes.Count == 0 ? 1 : g.Axes[0].Values.Count) : g.Axes.Aggregate(1.0, (a, x) => a * x.Values.Count);
            total += n;
            if (total > MaxPoints)
                throw new InputException($"sweep {spec.Name}: group '{g.Name}' brings the sweep to {total:#,0} points, more than the {MaxPoints:#,0} one sweep may have " +
                    "(split it into several sweep files or fewer axis values)");
        }
    }
}
