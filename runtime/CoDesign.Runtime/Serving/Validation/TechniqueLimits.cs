using CoDesign.Schema.Validation;

namespace CoDesign.Runtime.Serving.Validation;

/// <summary>
/// The allowed serving-technique options (docs/serving-techniques.md, docs/input-limits.md). Bounds are our choice:
/// 32 drafts per verify is past any speculation length the SmartSpec and EAGLE evaluations use (at most 8), and
/// chunk counts stay far beyond a retrieval prompt's tens of chunks; rates and fractions are probabilities.
/// </summary>
public static class TechniqueLimits
{
    public const int MaxSpecK = 32;
    public static readonly Limit SpecK = Limit.Int(0, MaxSpecK, "draft tokens");
    public static readonly Limit Accept = new(0, 1, "(probability)");
    public static readonly Limit SharedPrefix = Limit.Int(0, WorkloadLimits.MaxTokens, "tokens");
    public static readonly Limit PrefixGroups = Limit.Int(1, 1_000_000, "groups");
    public static readonly Limit Chunks = Limit.Int(0, 4096, "chunks");
    public static readonly Limit ChunkTokens = Limit.Int(1, WorkloadLimits.MaxTokens, "tokens");
    public static readonly Limit ChunkPool = Limit.Int(1, 10_000_000, "chunks");
    public static readonly Limit ChunkZipf = Limit.NonNegative(10, "(Zipf exponent)");
    public static readonly Limit Recompute = new(0, 1, "(fraction)");
    /// <summary>Open at both ends: an empty cache caches nothing, a full one leaves no KV for the requests.</summary>
    public static readonly Limit CacheFraction = Limit.Positive(1, "(fraction of the KV budget, below 1)");
}
