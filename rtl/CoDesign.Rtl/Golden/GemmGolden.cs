// SPDX-License-Identifier: Apache-2.0
// Bit-exact model of the GEMM module's datapath: what every output bit of cd_gemm must be.
namespace CoDesign.Rtl.Golden;

/// <summary>
/// Y[m][n] = sum over beats of (the dot-product tree over the beat's Lanes products, <see cref="Fp16Dot"/>),
/// accumulated in binary32 beat after beat from +0.
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
        ushort[] wa = w.ToArray(), xa = x.ToArray();   // spans cannot cross into the parallel loop
        // Outputs are independent (each is its own beat-by-beat accumulation), so rows run on all cores.
        Parallel.For(0, n, j =>
        {
            var wr = wa.AsSpan(j * k, k);
            for (int t = 0; t < m; t++)
            {
                var xr = xa.AsSpan(t * k, k);
                uint acc = 0;
                for (int b = 0; b < k; b += lanes) acc = Fp16Mac.Add(acc, Fp16Dot.Sum(wr.Slice(b, lanes), xr.Slice(b, lanes)));
                y[t * n + j] = acc;
            }
        });
        return y;
    }

    /// <summary>
    /// Bound on |golden − exact| for one output, as a multiple of Σ|w·x|. Per beat j the tree returns
    /// t_j = (S_j + ε_j)(1 + δ_j) with |δ_j| ≤ u = 2^-24 and |ε_j| ≤ Lanes · 2^(emax − 50 − F) ≤ η Σ_beat |w·x|,
    /// η = Lanes · 2^-F = 2^(2·log2(Lanes) − 41), because the lane with exponent sum emax has a product of at
    /// least 2^(emax − 50). The B = K/Lanes binary32 accumulations from +0 add γ_(B−1) Σ|t_j|
    /// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §4.2; γ_n = nu/(1 − nu)). With
    /// γ_(B−1)(1 + u) + u ≤ γ_B (Higham Lemma 3.3) the total is at most (γ_B + 2η) Σ|w·x|.
    /// </summary>
    public static double ErrorBoundFactor(int k, int lanes)
    {
        const double u = 1.0 / (1 << 24);
        double b = Math.Max(1.0, (double)k / lanes);
        double eta = Math.ScaleB(1.0, 2 * (int)Math.Log2(lanes) - 41);
        return b * u / (1 - b * u) + 2 * eta;
    }
}
