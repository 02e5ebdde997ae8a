namespace CoDesign.Runtime.Serving;

public sealed record Percentiles(double P50, double P90, double P99, double Mean);

/// <summary>The steady state measured: its bounds, stages, and the requests that arrived in it (TTFT/E2E samples).</summary>
public sealed record SteadyStateWindow(double StartS, double EndS, int Stages, int Requests);

public sealed record EnergyBreakdown(double FcDram, double FcCompute, double AttentionDram, double AttentionCompute,
    double MoeDram, double MoeCompute, double Communication)
{
    public double Total => FcDram + FcCompute + AttentionDram + AttentionCompute + MoeDram + MoeCompute + Communication;
}

/// <summary>What a serving simulation measured. SI units; JSON names are the snake_case of these.</summary>
public sealed record SimulationResult
{
    public required string Model { get; init; }
    public required string Hardware { get; init; }
    public required int Devices { get; init; }
    public required string CoProcessing { get; init; }
    public required string MoeParallelism { get; init; }
    public required double ThroughputTokensPerS { get; init; }
    public required int RequestsCompleted { get; init; }
    public required long OutputTokens { get; init; }
    public required double SimulatedTimeS { get; init; }
    public required int Stages { get; init; }
    public required double DecodeOnlyStageFraction { get; init; }
    public required double EffectiveBatch { get; init; }
    public required long KvCapacityTokens { get; init; }
    /// <summary>Set when the requested batch did not fit in the KV cache and was reduced.</summary>
    public required int? BatchReducedTo { get; init; }
    public required Percentiles TtftS { get; init; }
    public required Percentiles TbtS { get; init; }
    public required Percentiles E2eS { get; init; }
    public required double EnergyJPerToken { get; init; }
    public required EnergyBreakdown EnergyBreakdownJPerToken { get; init; }
    /// <summary>Busy seconds by operator kind and processor ("moe/logic_pim"), summed over stages.</summary>
    public required IReadOnlyDictionary<string, double> TimeBreakdownS { get; init; }
    /// <summary>Where throughput, latency and energy were measured; null when the run has no steady state (whole run).</summary>
    public SteadyStateWindow? SteadyState { get; init; }
    /// <summary>Mean seconds per decode-only and per mixed stage, by operator group (compare the paper's Fig. 4(a)).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? StageTimeBreakdownS { get; init; }
    /// <summary>Seconds of each collective over the run (its "/intra_node" and "/inter_node" parts too).</summary>
    public IReadOnlyDictionary<string, double>? CommunicationS { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
    /// <summary>Set when speculative decoding ran.</summary>
    public Techniques.SpeculationStats? Speculation { get; init; }
    /// <summary>Set when prefix/chunk reuse ran.</summary>
    public Techniques.PrefixCacheStats? PrefixCache { get; init; }
}
