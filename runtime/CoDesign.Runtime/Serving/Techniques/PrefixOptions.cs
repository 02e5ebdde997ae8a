using CoDesign.Runtime.Serving.Validation;
using CoDesign.Schema;
using CoDesign.Schema.Validation;

namespace CoDesign.Runtime.Serving.Techniques;

/// <summary>
/// KV reuse across requests: a shared prefix per group (system prompt, few-shot examples) and/or prompts built
/// from a pool of retrieved chunks. Cached KV skips prefill; a shared prefix in one stage is read once per group.
/// </summary>
public sealed record PrefixOptions
{
    /// <summary>Tokens at the start of every prompt shared by its group (0: none).</summary>
    public int SharedPrefix { get; init; }
    /// <summary>Distinct prefixes; each request draws its group uniformly.</summary>
    public int Groups { get; init; } = 1;
    /// <summary>Retrieval chunks per prompt after the shared prefix (0: none), each <see cref="ChunkTokens"/> long.</summary>
    public int ChunksPerPrompt { get; init; }
    public int ChunkTokens { get; init; } = 256;
    /// <summary>Chunks in the retrieval pool, drawn with Zipf(<see cref="ChunkZipf"/>) popularity.</summary>
    public int ChunkPool { get; init; } = 1000;
    public double ChunkZipf { get; init; } = 1.0;
    /// <summary>Fraction of a cached chunk's tokens recomputed to fix positions and cross-chunk attention (Cache-Craft, KVShare).</summary>
    public double RecomputeFraction { get; init; } = 0.15;
    /// <summary>Share of the KV budget the prefix/chunk cache may hold.</summary>
    public double CacheFraction { get; init; } = 0.25;
    /// <summary>Read a group's shared prefix once per stage for all its decoding requests (BatchLLM-style).</summary>
    public bool SharedAttention { get; init; } = true;

    public bool Enabled => SharedPrefix > 0 || ChunksPerPrompt > 0;

    public void Validate()
    {
        const string where = "prefix reuse";
        TechniqueLimits.SharedPrefix.Check(SharedPrefix, Setting.Ref("shared_prefix"), where);
        TechniqueLimits.PrefixGroups.Check(Groups, Setting.Ref("prefix_groups"), where);
        TechniqueLimits.Chunks.Check(ChunksPerPrompt, Setting.Ref("chunks"), where);
        TechniqueLimits.ChunkTokens.Check(ChunkTokens, Setting.Ref("chunk_tokens"), where);
        TechniqueLimits.ChunkPool.Check(ChunkPool, Setting.Ref("chunk_pool"), where);
        TechniqueLimits.ChunkZipf.Check(ChunkZipf, Setting.Ref("chunk_zipf"), where);
        TechniqueLimits.Recompute.Check(RecomputeFraction, Setting.Ref("chunk_recompute"), where);
        if (CacheFraction >= 1 || !TechniqueLimits.CacheFraction.Allows(CacheFraction))
            throw new InputException($"{where}: {Setting.Ref("prefix_cache_fraction")} = {InputText.Number(CacheFraction)} is not allowed (expected a number in (0, 1))");
    }
}
