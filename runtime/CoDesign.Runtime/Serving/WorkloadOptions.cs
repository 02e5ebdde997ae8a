namespace CoDesign.Runtime.Serving;

public enum SchedulerKind { Mixed, PrefillFirst, Chunked }

/// <summary>What to serve and how to batch it. Every random choice flows from <see cref="Seed"/>.</summary>
public sealed record WorkloadOptions
{
    /// <summary>Closed loop: a finished request is replaced at once, so the batch stays full.</summary>
    public int? Batch { get; init; }
    /// <summary>Open loop: Poisson arrivals at this rate (requests per second), at most <see cref="MaxBatch"/> running.</summary>
    public double? Qps { get; init; }
    public int MaxBatch { get; init; } = 128;
    /// <summary>Requests to complete; null picks enough for a steady state (see ServingSimulator.DefaultRequests).</summary>
    public int? Requests { get; init; }
    public int InputLen { get; init; } = 1024;
    public int OutputLen { get; init; } = 1024;
    /// <summary>Standard deviation of the Gaussian lengths, as a fraction of the mean (0 = fixed lengths).</summary>
    public double LengthStd { get; init; }
    /// <summary>CSV trace with columns arrival_s,input_len,output_len (replaces the generated workload).</summary>
    public string? TraceCsv { get; init; }
    /// <summary>"uniform" or "zipf:S".</summary>
    public string Routing { get; init; } = "uniform";
    public SchedulerKind Scheduler { get; init; } = SchedulerKind.Mixed;
    public int MaxBatchedTokens { get; init; } = 8192;
    public int ChunkSize { get; init; } = 512;
    public ulong Seed { get; init; } = 1;
    /// <summary>Lifts the work bound of <see cref="Validation.WorkloadLimits.CheckWork"/> (the user confirmed a long run).</summary>
    public bool AllowLongRun { get; init; }
    /// <summary>Draft-then-verify speculative decoding (null: one token per decode step).</summary>
    public Techniques.SpeculationOptions? Speculation { get; init; }
    /// <summary>Shared prefixes and retrieval chunks reused through a prefix cache (null: none).</summary>
    public Techniques.PrefixOptions? Prefix { get; init; }
}
