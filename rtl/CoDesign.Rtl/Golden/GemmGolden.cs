// SPDX-License-Identifier: Apache-2.0
// Bit-exact model of the GEMM module's datapath: what every output bit of cd_gemm must be.
namespace CoDesign.Rtl.Golden;

/// <summary>
/// Y[m][n] = sum over beats of (adder tree over Lanes products), accumulated beat after beat from +0.
/// K tiling does not change the order: a tile's partial sum is stored and reloaded exactly.
/// </summary>
public static class GemmGolden
{
    /// <param name="w">[n][k] binary16 bits.</param>
    /// <param name="x">[m][k] binary16 bits.</param>
    /// <returns>[m][n] binary32 bits.</returns>
    public static uint[] Run(ReadOnlySpan<ushort> w, ReadOnlySpan<ushort> x, int m, int k, int n, int lanes)
    {
        if (k % lanes != 0) throw new ArgumentException("K must be a multiple of the lane count");
        var y = new uint[m * n];
        Span<uint> leaves = stackalloc uint[lanes];
        for (int t = 0; t < m; t++)
        {
            var xr = x.Slice(t * k, k);
            for (int j = 0; j < n; j++)
            {
                var wr = w.Slice(j * k, k);
                uint acc = 0;
                for (int b = 0; b < k; b += lanes)
                {
                    for (int l = 0; l < lanes; l++) leaves[l] = Fp16Mac.Mul(wr[b + l], xr[b + l]);
                    acc = Fp16Mac.Add(acc, Fp16Mac.TreeSum(leaves));
                }
                y[t * n + j] = acc;
            }
        }
        return y;
    }

    /// <summary>
    /// Bound on |golden - exact| for one output: each product is exact and passes through
    /// log2(lanes) tree additions and K/lanes accumulations, each a relative error of at most u = 2^-24,
    /// so |error| &lt;= gamma_d * sum |w x| with d = log2(lanes) + K/lanes and gamma_d = d u / (1 - d u)
    /// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §4.2).
    /// </summary>
    public static double ErrorBoundFactor(int k, int lanes)
    {
        const double u = 1.0 / (1 << 24);
        double d = Math.Log2(lanes) + (double)k / lanes;
        return d * u / (1 - d * u);
    }
}
