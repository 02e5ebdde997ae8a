// SPDX-License-Identifier: Apache-2.0
// Where each FP16 weight of a GEMM lives in a pseudo-channel's bank-bundle space (what cd_op_ctrl streams).
namespace CoDesign.Rtl.Isa;

/// <summary>
/// K-tile-major: for each K tile of up to <c>kTile</c> columns, all N rows of that tile, each row's
/// slice contiguous. Every (output tile, K tile) the controller visits is then one contiguous stream,
/// so the bank bundle reads whole rows in order instead of jumping between them.
/// </summary>
public static class PimWeightLayout
{
    /// <summary>Element offset of W[row][col] for a K x N weight matrix.</summary>
    public static long Offset(int row, int col, int k, int n, int kTile)
    {
        int kt = col / kTile;
        int tileLen = Math.Min(kTile, k - kt * kTile);
        return (long)kt * kTile * n + (long)row * tileLen + (col - kt * kTile);
    }

    /// <summary>Packs W ([n][k] binary16 bits) into <paramref name="dst"/> at byte offset <paramref name="baseAddr"/>.</summary>
    public static void Pack(ReadOnlySpan<ushort> w, int k, int n, int kTile, Span<byte> dst, long baseAddr)
    {
        for (int r = 0; r < n; r++)
            for (int c = 0; c < k; c++)
            {
                long at = baseAddr + 2 * Offset(r, c, k, n, kTile);
                ushort v = w[r * k + c];
                dst[(int)at] = (byte)v;
                dst[(int)at + 1] = (byte)(v >> 8);
            }
    }
}
