using CoDesign.Machine.Decisions;

namespace CoDesign.Machine.Tests.Decisions;

public class ExpertSplitTests
{
    /// <summary>Independent oracle: every per-expert assignment, keeping only those that move whole memory spaces.</summary>
    static double BruteForce(double[] host, double[] pim, int[] space)
    {
        double best = double.PositiveInfinity;
        for (int mask = 0; mask < 1 << host.Length; mask++)
        {
            bool legal = true;
            for (int i = 0; i < host.Length && legal; i++)
                for (int j = 0; j < host.Length; j++)
                    if (space[i] == space[j] && ((mask >> i) & 1) != ((mask >> j) & 1)) { legal = false; break; }
            if (!legal) continue;
            double h = 0, p = 0;
            for (int i = 0; i < host.Length; i++) if ((mask >> i & 1) != 0) p += pim[i]; else h += host[i];
            best = Math.Min(best, Math.Max(h, p));
        }
        return best;
    }

    [Test]
    public void Split_EqualsBruteForceOptimum_OnRandomSmallCases([Values(1, 2, 3)] int seed)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            int experts = rng.Next(1, 9), spaces = rng.Next(1, 5);
            var space = Enumerable.Range(0, experts).Select(e => e % spaces).ToArray();
            // PIM time grows faster with tokens than xPU time (compute-bound at Op/B 8); both have a weight-read floor.
            var tokens = Enumerable.Range(0, experts).Select(_ => (double)rng.Next(0, 64)).ToArray();
            var host = tokens.Select(t => t == 0 ? 0 : 10 + 0.1 * t).ToArray();
            var pim = tokens.Select(t => t == 0 ? 0 : 2.5 + 0.6 * t).ToArray();
            var hostBySpace = new double[spaces];
            var pimBySpace = new double[spaces];
            for (int e = 0; e < experts; e++) { hostBySpace[space[e]] += host[e]; pimBySpace[space[e]] += pim[e]; }

            var (mask, seconds) = ExpertSplit.Best(hostBySpace, pimBySpace);
            Assert.That(seconds, Is.EqualTo(BruteForce(host, pim, space)).Within(1e-9), $"trial {trial}");
            double h = 0, p = 0;
            for (int s = 0; s < spaces; s++) if ((mask >> s & 1) != 0) p += pimBySpace[s]; else h += hostBySpace[s];
            Assert.That(Math.Max(h, p), Is.EqualTo(seconds).Within(1e-9), "the returned split achieves the returned time");
        }
    }

    [Test]
    public void Split_NeverWorseThanAllOnOneProcessor()
    {
        double[] host = [5, 1, 7, 2], pim = [1, 4, 2, 9];
        var (_, t) = ExpertSplit.Best(host, pim);
        Assert.That(t, Is.LessThanOrEqualTo(Math.Min(host.Sum(), pim.Sum())));
    }
}
