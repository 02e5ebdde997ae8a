using CoDesign.Runtime.Serving.Validation;
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

    /// <summary>Points one sweep runs without --allow-long-run. Our bound: 2,000 points is ~8x the Duplex study, about
    /// five minutes at its measured pace (255 points in about 40 s, docs/benchmarks.md).</summary>
    public const int MaxPointsWithoutConfirm = 2_000;

    /// <summary>
    /// The work bound of a sweep, checked before any point runs: more than <see cref="MaxPointsWithoutConfirm"/> points,
    /// or more estimated serving stages over all points than one simulate may take (WorkloadLimits.MaxStages), needs
    /// --allow-long-run. A point that cannot be built is left to the run, which records it as an error.
    /// </summary>
    public static void CheckWork(string name, IReadOnlyList<SweepPoint> points, bool allowLongRun)
    {
        if (allowLongRun) return;
        if (points.Count > MaxPointsWithoutConfirm)
            throw new InputException($"sweep {name}: {points.Count:#,0} points to run, more than the {MaxPointsWithoutConfirm:#,0} allowed without --allow-long-run " +
                "(add --allow-long-run to run them with progress, or --shard i/N to split them)");
        double stages = 0;
        foreach (var p in points)
        {
            try { stages += WorkloadLimits.EstimatedStages(PointSettings.Workload(p)); }
            catch (Exception e) when (e is InputException or OverflowException) { }
        }
        if (stages > WorkloadLimits.MaxStages)
            throw new InputException($"sweep {name}: its {points.Count} points need about {stages:0.##e+0} serving stages, more than the " +
                $"{WorkloadLimits.MaxStages:0e+0} allowed without --allow-long-run (add --allow-long-run to run them with progress, or use fewer requests or shorter lengths)");
    }

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
