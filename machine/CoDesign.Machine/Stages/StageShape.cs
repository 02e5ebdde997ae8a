using CoDesign.Schema.V1;

namespace CoDesign.Machine.Stages;

/// <summary>
/// The measurable features of one stage on one data-parallel replica (indexed by <see cref="StageFeature"/>).
/// Every operator count in a Program is an affine function of these. The windowed features bound each
/// request's keys by <see cref="SlidingWindowTokens"/>; the per-request minimum is not affine in the sums, which is
/// why the shape, and not the Program, applies it.
/// </summary>
public sealed class StageShape(double slidingWindowTokens = 0)
{
    public const int FeatureCount = 12;
    public readonly double[] Features = InitialFeatures();

    /// <summary>Keys a sliding-window layer attends to (0: no window, the windowed features equal the plain ones).</summary>
    public double SlidingWindowTokens { get; } = slidingWindowTokens;

    public double Tokens => Features[(int)StageFeature.Tokens];
    public double DecodeRequests => Features[(int)StageFeature.DecodeRequests];
    public double DecodeContext => Features[(int)StageFeature.DecodeContext];
    public double PrefillRequests => Features[(int)StageFeature.PrefillRequests];
    public double PrefillTokens => Features[(int)StageFeature.PrefillTokens];
    public bool IsDecodeOnly => PrefillTokens == 0 && DecodeRequests > 0;
    public bool IsEmpty => Tokens == 0;

    /// <summary>A shape for <paramref name="model"/>: its sliding window, if it has one.</summary>
    public static StageShape For(ModelConfig? model) => new(model?.SlidingWindow ?? 0);

    static double[] InitialFeatures()
    {
        var f = new double[FeatureCount];
        f[(int)StageFeature.One] = 1;
        return f;
    }

    public void Clear()
    {
        Array.Clear(Features);
        Features[(int)StageFeature.One] = 1;
    }

    double Window(double keys) => SlidingWindowTokens > 0 ? Math.Min(keys, SlidingWindowTokens) : keys;

    /// <summary>A decoding request whose KV cache holds <paramref name="contextTokens"/> tokens (including the new one).</summary>
    public void AddDecode(double contextTokens)
    {
        Features[(int)StageFeature.Tokens] += 1;
        Features[(int)StageFeature.DecodeRequests] += 1;
        Features[(int)StageFeature.DecodeContext] += contextTokens;
        Features[(int)StageFeature.DecodeContextWindowed] += Window(contextTokens);
    }

    /// <summary>A prefill chunk of <paramref name="chunkTokens"/> after <paramref name="pastTokens"/> already cached (causal).</summary>
    public void AddPrefill(double chunkTokens, double pastTokens = 0)
    {
        Features[(int)StageFeature.Tokens] += chunkTokens;
        Features[(int)StageFeature.PrefillRequests] += 1;
        Features[(int)StageFeature.PrefillTokens] += chunkTokens;
        // Query i of the chunk sees past + i + 1 keys: sum = chunk*past + chunk(chunk+1)/2.
        Features[(int)StageFeature.PrefillPairs] += chunkTokens * pastTokens + chunkTokens * (chunkTokens + 1) / 2;
        Features[(int)StageFeature.PrefillContext] += pastTokens + chunkTokens;
        Features[(int)StageFeature.PrefillPairsWindowed] += WindowedPairs(chunkTokens, pastTokens);
        // Keys any query of the chunk sees: from past + 1 - W (at least 0) to the chunk's last token.
        Features[(int)StageFeature.PrefillContextWindowed] += SlidingWindowTokens > 0
            ? Math.Min(pastTokens + chunkTokens, chunkTokens + SlidingWindowTokens - 1)
            : pastTokens + chunkTokens;
    }

    /// <summary>Σ over the chunk's queries j = past+1 .. past+chunk of min(j, W): an arithmetic part up to W, then W each.</summary>
    double WindowedPairs(double chunk, double past)
    {
        double first = past + 1, last = past + chunk;
        if (SlidingWindowTokens <= 0 || last <= SlidingWindowTokens) return chunk * (first + last) / 2;
        double w = SlidingWindowTokens;
        if (first > w) return chunk * w;
        double below = w - first + 1;   // queries first .. W see all their keys
        return below * (first + w) / 2 + (chunk - below) * w;
    }

    public static StageShape Of(int decodeRequests, double contextPerDecode, int prefillRequests = 0, double promptTokens = 0, double slidingWindowTokens = 0)
    {
        var s = new StageShape(slidingWindowTokens);
        for (int i = 0; i < decodeRequests; i++) s.AddDecode(contextPerDecode);
        for (int i = 0; i < prefillRequests; i++) s.AddPrefill(promptTokens);
        return s;
    }

    public StageShape Clone()
    {
        var s = new StageShape(SlidingWindowTokens);
        Array.Copy(Features, s.Features, FeatureCount);
        return s;
    }
}
