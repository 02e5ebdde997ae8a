// SPDX-License-Identifier: Apache-2.0
// Compares RTL outputs with the golden model (bits) and with a float64 MathNet reference (error).
namespace CoDesign.Rtl.Runs;

/// <summary>Bit mismatches against golden; worst absolute and relative error against float64; bound check.</summary>
public sealed record AccuracyStats(long Outputs, long Mismatches, double MaxAbsError, double MaxRelError,
    double MaxErrorOverBound)
{
    public bool BitExact => Mismatches == 0;
    /// <summary>True when every output is within the derived error bound.</summary>
    public bool WithinBound => MaxErrorOverBound <= 1;

    /// <param name="bound">per-output absolute error bound (e.g. gamma_d * sum |w x|).</param>
    public static AccuracyStats Compare(uint[] rtl, uint[] golden, double[] exact, double[] bound)
    {
        long mism = 0;
        double maxAbs = 0, maxRel = 0, over = 0;
        for (int i = 0; i < rtl.Length; i++)
        {
            if (rtl[i] != golden[i]) mism++;
            double v = BitConverter.UInt32BitsToSingle(rtl[i]);
            double e = Math.Abs(v - exact[i]);
            if (double.IsNaN(e)) { maxAbs = maxRel = over = double.PositiveInfinity; continue; }
            maxAbs = Math.Max(maxAbs, e);
            if (exact[i] != 0) maxRel = Math.Max(maxRel, e / Math.Abs(exact[i]));
            over = Math.Max(over, bound[i] > 0 ? e / bound[i] : (e > 0 ? double.PositiveInfinity : 0));
        }
        return new AccuracyStats(rtl.Length, mism, maxAbs, maxRel, over);
    }
}
