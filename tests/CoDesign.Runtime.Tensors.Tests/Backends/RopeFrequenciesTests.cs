using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Tests.Backends;

/// <summary>rope_scaling frequencies against hand-computed cases (Llama 3.1's published parameters).</summary>
public class RopeFrequenciesTests
{
    static ModelConfig Llama31(RopeScaling? s) => new() { HeadDim = 128, RopeTheta = 500000, RopeScaling = s };

    static readonly RopeScaling Llama3 = new()
    {
        Type = "llama3",
        Factor = 8,
        LowFreqFactor = 1,
        HighFreqFactor = 4,
        OriginalMaxPositionEmbeddings = 8192,
    };

    [Test]
    public void Llama3_keeps_high_frequencies_divides_low_ones_and_blends_between()
    {
        var plain = RopeFrequencies.Of(Llama31(null)).Inverse;
        var scaled = RopeFrequencies.Of(Llama31(Llama3)).Inverse;
        // i = 0: wavelength 2π < 8192/4, kept.
        Assert.That(scaled[0], Is.EqualTo(plain[0]));
        // i = 63: ω = 500000^(-126/128), wavelength ≈ 2.6e6 > 8192, divided by 8.
        Assert.That(scaled[63], Is.EqualTo(plain[63] / 8).Within(1e-15).Percent);
        // i = 32: ω = 500000^(-1/2) = 1.41421e-3, wavelength 4442.88 in the band: smooth = (8192/4442.88 - 1)/3
        // = 0.281283, scaled = ω·((1 - smooth)/8 + smooth) = 0.371122·ω (by hand).
        Assert.That(plain[32], Is.EqualTo(1.414213562e-3).Within(1e-9));
        Assert.That(scaled[32] / plain[32], Is.EqualTo(0.371122).Within(1e-6));
    }

    [Test]
    public void Linear_divides_every_frequency()
    {
        var plain = RopeFrequencies.Of(Llama31(null)).Inverse;
        var scaled = RopeFrequencies.Of(Llama31(new RopeScaling { Type = "linear", Factor = 4 })).Inverse;
        Assert.That(scaled.Zip(plain, (s, p) => s / p), Has.All.EqualTo(0.25).Within(1e-15));
    }
}
