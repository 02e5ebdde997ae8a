using CoDesign.Schema.V1;

namespace CoDesign.Machine.Stages;

/// <summary>
/// The measurable features of one stage on one data-parallel replica (indexed by <see cref="StageFeature"/>).
/// Every operator count in a Program is an affine function of these.
/// </summary>
public sealed class StageShape
{
    public const int FeatureCount = 9;
    public readonly double[] Features = new double[FeatureCount];

    public double Tokens => Features[(int)StageFeature.Tokens];
    public double DecodeRequests => Features[(int)StageFeature.DecodeRequests];
    public double DecodeContext => Features[(int)StageFeature.DecodeContext];
    public double PrefillRequests => Features[(int)StageFeature.PrefillRequests];
    public double PrefillTokens => Features[(int)StageFeature.PrefillTokens];
    public bool IsDecodeOnly => PrefillTokens == 0 && DecodeRequests > 0;
    public bool IsEmpty => Tokens == 0;

    public StageShape() => Features[(int)StageFeature.One] = 1;

    public void Clear()
    {
        Array.Clear(Features);
        Features[(int)StageFeature.One] = 1;
    }

    /// <summary>A decoding request whose KV cache holds <paramref name="contextTokens"/> tokens (including the new one).</summary>
    public void AddDecode(double contextTokens)
    {
        Features[(int)StageFeature.Tokens] += 1;
        Features[(int)StageFeature.DecodeRequests] += 1;
        Features[(int)StageFeature.DecodeContext] += contextTokens;
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
    }

    public static StageShape Of(int decodeRequests, double contextPerDecode, int prefillRequests = 0, double promptTokens = 0)
    {
        var s = new StageShape();
        for (int i = 0; i < decodeRequests; i++) s.AddDecode(contextPerDecode);
        for (int i = 0; i < prefillRequests; i++) s.AddPrefill(promptTokens);
        return s;
    }

    public StageShape Clone()
    {
        var s = new StageShape();
        Array.Copy(Features, s.Features, FeatureCount);
        return s;
    }
}
