namespace CoDesign.Runtime.Serving;

/// <summary>One request's life through the scheduler. Mutable: the simulator advances it stage by stage.</summary>
public sealed class Request(int id, double arrivalS, int inputLen, int outputLen)
{
    public int Id { get; } = id;
    public double ArrivalS { get; set; } = arrivalS;
    public int InputLen { get; } = inputLen;
    public int OutputLen { get; } = outputLen;
    public int Prefilled { get; set; }
    public int Generated { get; set; }
    public double FirstTokenS { get; set; } = double.NaN;
    public double LastTokenS { get; set; }
    public double DoneS { get; set; } = double.NaN;
    /// <summary>This stage's prefill chunk (0 when it decodes or waits).</summary>
    public int Chunk { get; set; }
    /// <summary>Arrived inside the steady-state window: its TTFT and E2E count towards the reported percentiles.</summary>
    public bool InWindow { get; set; }

    public bool PrefillDone => Prefilled >= InputLen;
    public int RemainingPrompt => InputLen - Prefilled;
    /// <summary>KV tokens the sequence holds at its longest: the whole sequence (fewer for a sliding-window model: the
    /// simulator sets it from <c>ProgramMemory.KvTokensHeld</c>).</summary>
    public int HeldKvTokens { get; set; } = inputLen + outputLen;
    /// <summary>KV slots beyond the sequence: the drafts a speculative verify may write and then reject.</summary>
    public int ExtraKvTokens { get; set; }
    /// <summary>The shared prefix a trace names for this request (its prefix_group column, numbered in order of first
    /// appearance; -1: none named) and how many prompt tokens it spans (prefix_len).</summary>
    public int TracePrefixGroup { get; init; } = -1;
    public int TracePrefixLen { get; init; }
    /// <summary>Prompt tokens whose KV lives in the prefix cache (shared), not in this request's reservation.</summary>
    public int CachedKvTokens { get; set; }

    /// <summary>KV tokens reserved at admission, so the cache can never overflow. A window-bounded sequence may hold
    /// fewer tokens than its cached prefix; it then reserves only its drafts.</summary>
    public int ReservedKvTokens => Math.Max(0, HeldKvTokens - CachedKvTokens) + ExtraKvTokens;
}
