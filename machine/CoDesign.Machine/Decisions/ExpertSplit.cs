namespace CoDesign.Machine.Decisions;

/// <summary>
/// Expert co-processing (docs/reference/duplex-spec.md §3): after gating, split one device's experts between the xPU and the
/// PIM so that max(xPU time, PIM time) is least. Experts sharing a bank-bundle memory space move together.
/// With at most a handful of spaces every assignment is enumerated, which is exact and includes the paper's
/// greedy (move the least-loaded experts to the PIM while the maximum falls).
/// </summary>
public static class ExpertSplit
{
    /// <summary>Returns the bit mask of spaces sent to the PIM and the resulting time.</summary>
    public static (int PimMask, double Seconds) Best(ReadOnlySpan<double> hostSecondsBySpace, ReadOnlySpan<double> pimSecondsBySpace)
    {
        int spaces = hostSecondsBySpace.Length;
        if (spaces > 16) throw new ArgumentOutOfRangeException(nameof(hostSecondsBySpace), "at most 16 memory spaces");
        int bestMask = 0;
        double best = double.PositiveInfinity;
        for (int mask = 0; mask < 1 << spaces; mask++)
        {
            double h = 0, p = 0;
            for (int s = 0; s < spaces; s++)
                if ((mask >> s & 1) != 0) p += pimSecondsBySpace[s]; else h += hostSecondsBySpace[s];
            double t = Math.Max(h, p);
            if (t < best - 1e-18) { best = t; bestMask = mask; }
        }
        return (bestMask, best);
    }
}
