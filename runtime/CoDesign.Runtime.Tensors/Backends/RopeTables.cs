namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>
/// RoPE angles. Every backend computes angle = position·theta^(-2i/d) and its sine/cosine in float64 on the host:
/// in float32 the angle alone would be off by position·2^-24 radians (2.4e-4 at position 4096), an error of the
/// angle formula, not of the backend's arithmetic. Backends then rotate in their own precision.
/// </summary>
public static class RopeTables
{
    /// <summary>cos and sin, [rows, headDim/2] each, for the given positions.</summary>
    public static (float[] Cos, float[] Sin) ForPositions(int[] positions, RopeFrequencies rope)
    {
        int half = rope.HeadDim / 2;
        var cos = new float[positions.Length * half];
        var sin = new float[positions.Length * half];
        for (int r = 0; r < positions.Length; r++)
            for (int i = 0; i < half; i++)
            {
                var (s, c) = Math.SinCos(positions[r] * rope.Inverse[i]);
                cos[r * half + i] = (float)c;
                sin[r * half + i] = (float)s;
            }
        return (cos, sin);
    }
}
