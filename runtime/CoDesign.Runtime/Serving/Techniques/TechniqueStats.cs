namespace CoDesign.Runtime.Serving.Techniques;

/// <summary>Speculative decoding measured over a run: verifies, drafts, acceptance, the draft's share of time.</summary>
public sealed record SpeculationStats(long Verifies, double MeanK, double AcceptedPerDraft, double TokensPerVerify,
    double DraftTimeS, double DraftTimeFraction);

/// <summary>Prefix/chunk cache measured over a run: lookups, tokens whose prefill was skipped, capacity and evictions.</summary>
public sealed record PrefixCacheStats(long Hits, long Misses, double HitRate, long PromptTokens, long SkippedPrefillTokens,
    double SkippedPrefillFraction, long RecomputedTokens, long CapacityTokens, long Evictions, long Refused);

public static class TechniqueStatsBuilder
{
    internal static SpeculationStats? Speculation(Speculator? s, double simulatedS) => s is null ? null : new(
        s.Verifies, s.Verifies > 0 ? (double)s.DraftTokens / s.Verifies : 0,
        s.DraftTokens > 0 ? (double)s.AcceptedTokens / s.DraftTokens : 0,
        s.Verifies > 0 ? (double)(s.AcceptedTokens + s.Verifies) / s.Verifies : 0,
        s.DraftSeconds, simulatedS > 0 ? s.DraftSeconds / simulatedS : 0);

    internal static PrefixCacheStats? Prefix(PrefixReuse? p) => p is null ? null : new(
        p.Cache.Hits, p.Cache.Misses, p.Cache.Hits + p.Cache.Misses > 0 ? (double)p.Cache.Hits / (p.Cache.Hits + p.Cache.Misses) : 0,
        p.PromptTokens, p.SkippedTokens, p.PromptTokens > 0 ? (double)p.SkippedTokens / p.PromptTokens : 0,
        p.RecomputedTokens, p.Cache.CapacityTokens, p.Cache.Evictions, p.Cache.Refused);
}
