using CoDesign.Schema;
using CoDesign.Schema.Validation;

namespace CoDesign.Runtime.Serving.Validation;

/// <summary>
/// The allowed workload (docs/input-limits.md): each option's range, and a bound on the work a run may take,
/// refused up front with the limit in the message (or lifted by <see cref="WorkloadOptions.AllowLongRun"/>).
/// Bounds are our choice; the work bound comes from the measured simulator speed (docs/benchmarks.md: about
/// 50,000 stages/s on the 2-core container), so a run inside the limits ends within minutes.
/// </summary>
public static class WorkloadLimits
{
    /// <summary>A sequence of 2^20 tokens: 8x the longest context of any model modelled here.</summary>
    public const int MaxTokens = 1 << 20;
    public static readonly Limit Tokens = Limit.Int(1, MaxTokens, "tokens");
    /// <summary>65,536 requests in flight: far past any KV cache here (an H100 holds a few thousand short requests).</summary>
    public static readonly Limit Batch = Limit.Int(1, 1 << 16, "requests");
    public static readonly Limit Requests = Limit.Int(1, 1_000_000, "requests");
    public static readonly Limit Qps = Limit.Positive(1e6, "requests/s");
    /// <summary>A spread of 10x the mean already clips most lengths at 1; more only slows the draws down.</summary>
    public static readonly Limit LengthStd = Limit.NonNegative(10, "(fraction of the mean)");
    /// <summary>Estimated stages of one run: about 200 s at the measured speed. Beyond needs --allow-long-run.</summary>
    public const double MaxStages = 1e7;

    public static void Check(WorkloadOptions o)
    {
        const string where = "workload";
        if (o.Batch is { } b) Batch.Check(b, Setting.Ref("batch"), where);
        if (o.Qps is { } q) Qps.Check(q, Setting.Ref("qps"), where);
        Batch.Check(o.MaxBatch, Setting.Ref("max_batch"), where);
        if (o.Requests is { } r) Requests.Check(r, Setting.Ref("requests"), where);
        Tokens.Check(o.InputLen, Setting.Ref("input_len"), where);
        Tokens.Check(o.OutputLen, Setting.Ref("output_len"), where);
        LengthStd.Check(o.LengthStd, Setting.Ref("length_std"), where);
        Tokens.Check(o.MaxBatchedTokens, Setting.Ref("max_batched_tokens"), where);
        Tokens.Check(o.ChunkSize, Setting.Ref("chunk_size"), where);
    }

    /// <summary>
    /// Stages one run of <paramref name="o"/> needs, estimated from the mean lengths before it is generated (the
    /// default request count, no KV-cache batch reduction): what a sweep sums over its points to bound its work.
    /// </summary>
    public static double EstimatedStages(WorkloadOptions o)
    {
        int batch = Math.Max(1, o.Batch ?? o.MaxBatch);
        double requests = o.Requests ?? Math.Max((double)batch * ServingSimulator.SteadyStateBatches, 64);
        int budget = Math.Max(1, o.Scheduler == SchedulerKind.Chunked ? o.ChunkSize : o.MaxBatchedTokens);
        return requests * o.OutputLen / batch + requests * Math.Ceiling((double)o.InputLen / budget);
    }

    /// <summary>
    /// Refuses a run whose estimated stage count exceeds <see cref="MaxStages"/>: every request's decode steps,
    /// shared by the batch, plus its prefill chunks. Estimated from the means, in floating point so it cannot wrap.
    /// </summary>
    public static void CheckWork(WorkloadOptions o, IReadOnlyList<Request> requests, int batch)
    {
        if (o.AllowLongRun) return;
        int budget = Math.Max(1, o.Scheduler == SchedulerKind.Chunked ? o.ChunkSize : o.MaxBatchedTokens);
        double decodeSteps = 0, prefillChunks = 0;
        foreach (var r in requests) { decodeSteps += r.OutputLen; prefillChunks += Math.Ceiling((double)r.InputLen / budget); }
        double stages = decodeSteps / Math.Max(1, batch) + prefillChunks;
        if (stages > MaxStages)
            throw new InputException($"this run needs about {stages:0.##e+0} stages, more than the {MaxStages:0e+0} allowed without {Setting.Ref("allow_long_run")} " +
                $"(fewer {Setting.Ref("requests")}, shorter lengths or a larger batch make it smaller)");
    }
}
