using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>
/// A model's RoPE inverse frequencies θ^(−2i/d), i &lt; d/2, with its rope_scaling applied, computed once in float64
/// and shared by every backend so that the rotation, not the frequency formula, is what a backend computes.
/// Scaling follows Hugging Face's modeling_rope_utils (_compute_linear_scaling_rope_parameters,
/// _compute_llama3_parameters).
/// </summary>
public sealed class RopeFrequencies
{
    public int HeadDim { get; }
    public double[] Inverse { get; }

    RopeFrequencies(int headDim, double[] inverse) { HeadDim = headDim; Inverse = inverse; }

    /// <summary>Unscaled frequencies for base <paramref name="theta"/>.</summary>
    public static RopeFrequencies Plain(int headDim, double theta) =>
        new(headDim, Enumerable.Range(0, headDim / 2).Select(i => Math.Pow(theta, -2.0 * i / headDim)).ToArray());

    public static RopeFrequencies Of(ModelConfig c)
    {
        var plain = Plain((int)c.HeadDim, c.RopeTheta);
        if (c.RopeScaling is not { } s) return plain;
        var f = plain.Inverse;
        var scaled = s.Type switch
        {
            "linear" => f.Select(x => x / s.Factor).ToArray(),
            "llama3" => f.Select(x => Llama3(x, s)).ToArray(),
            _ => throw new InvalidOperationException($"rope_scaling type {s.Type} has no frequencies here (TensorSupport refuses it)"),
        };
        return new(plain.HeadDim, scaled);
    }

    /// <summary>Llama 3.1: high frequencies kept, low frequencies divided by the factor, a linear blend in between.</summary>
    static double Llama3(double inv, RopeScaling s)
    {
        double lowWavelen = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        double highWavelen = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        double wavelen = 2 * Math.PI / inv;
        if (wavelen < highWavelen) return inv;
        if (wavelen > lowWavelen) return inv / s.Factor;
        double smooth = (s.OriginalMaxPositionEmbeddings / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return (1 - smooth) * inv / s.Factor + smooth * inv;
    }
}
