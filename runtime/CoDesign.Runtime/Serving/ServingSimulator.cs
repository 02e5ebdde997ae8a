using CoDesign.Machine.Stages;
using CoDesign.Runtime.Backends;
using CoDesign.Runtime.Serving.Techniques;
using CoDesign.Runtime.Serving.Validation;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Serving;

/// <summary>
/// Serves a workload on a compiled system stage by stage (continuous batching at iteration level,
/// docs/reference/duplex-spec.md §4) and costs every stage with the analytic backend. One data-parallel replica is
/// simulated; replicas are identical, so throughput scales by the replica count.
/// Deterministic: the same Program, options and seed give the same result, bit for bit.
/// </summary>
public static class ServingSimulator
{
    /// <summary>Closed loop without --requests: this many batches' worth, so warm-up and drain are small.</summary>
    public const int SteadyStateBatches = 8;

    public static SimulationResult Run(Program program, WorkloadOptions o, Action<StageRecord>? onStage = null, ITraceSink? trace = null,
        CancellationToken ct = default)
    {
        Validate(o);
        var backend = new AnalyticBackend(program);
        int dp = (int)program.System.DataParallel;
        var notes = new List<string>();

        // The batch is the system's; each data-parallel replica serves its share.
        int requestedBatch = o.Batch ?? o.MaxBatch;
        int replicaBatch = Math.Max(1, (requestedBatch + dp - 1) / dp);
        long kvCapacity = o.Speculation is { K: > 0, DraftOnOwnDevice: false } spec
            ? SpeculationMemory.KvCapacityTokens(program, spec.Draft)
            : ProgramMemory.KvCapacityTokens(program);
        if (kvCapacity < 1) throw new InputException($"no room for any KV cache on '{program.Hardware.Name}' once the weights are placed; use more {Setting.Ref("devices")}");

        int totalRequests = o.Requests ?? (o.TraceCsv is not null ? int.MaxValue : Math.Max(requestedBatch * SteadyStateBatches, 64));
        var rng = Workload.Rng(o.Seed, 1);
        var all = Workload.Generate(o, totalRequests, rng);
        if (o.TraceCsv is not null) totalRequests = all.Count;
        if (o.Requests is null && o.TraceCsv is null) notes.Add($"simulated {totalRequests} requests (default: {SteadyStateBatches} x batch) so warm-up and drain are a small part");
        // Replica r serves every dp-th request; replica 0 stands for all.
        var requests = dp == 1 ? all : all.Where((_, i) => i % dp == 0).ToList();
        foreach (var r in requests)
        {
            r.HeldKvTokens = ProgramMemory.KvTokensHeld(program, r.InputLen + r.OutputLen);
            r.ExtraKvTokens = ServingTechniques.ExtraKvTokens(o);
        }
        int maxSeq = requests.Max(r => r.ReservedKvTokens);
        if (maxSeq > kvCapacity)
            throw new InputException($"a request of {maxSeq} tokens needs more KV cache than the {kvCapacity} tokens a device holds; use more {Setting.Ref("devices")} or shorter lengths");
        int fitBatch = (int)Math.Min(int.MaxValue, kvCapacity / Math.Max(1, (long)Math.Ceiling(requests.Average(r => r.ReservedKvTokens))));
        int? reducedTo = null;
        if (fitBatch < replicaBatch)
        {
            reducedTo = fitBatch * dp;
            notes.Add($"batch {requestedBatch} does not fit in the KV cache ({kvCapacity} tokens per device); reduced to {reducedTo}");
            replicaBatch = fitBatch;
        }

        var routing = program.Model.NumExperts > 0
            ? new ExpertRouting((int)program.Model.NumExperts, (int)program.Model.NumLayers, o.Routing, Workload.Rng(o.Seed, 2))
            : null;
        WorkloadLimits.CheckWork(o, requests, replicaBatch);
        var loop = new Loop(o, backend, routing, requests, replicaBatch, kvCapacity, onStage, trace);
        loop.Run(ct);

        double simulated = loop.NowS;
        var w = loop.Window;
        bool steady = w.Valid;
        if (steady)
            notes.Add($"steady state {w.StartS:0.###} s to {w.EndS:0.###} s ({w.Stages} stages): warm-up and drain excluded from throughput, latency and energy");
        else
            notes.Add("no steady state (too few requests for warm-up, a full batch and drain): the whole run is reported");
        long tokens = (steady ? w.OutputTokens : loop.OutputTokens) * dp;
        double measured = steady ? w.TimeS : simulated;
        var energy = steady ? w.EnergyJ : loop.EnergyJ;
        double perToken = tokens > 0 ? 1.0 / tokens : 0;
        var breakdown = new EnergyBreakdown(energy[0] * perToken, energy[1] * perToken, energy[2] * perToken, energy[3] * perToken,
            energy[4] * perToken, energy[5] * perToken, energy[6] * perToken);
        return new SimulationResult
        {
            Model = program.Model.Name,
            Hardware = program.Hardware.Name,
            Devices = (int)program.System.Devices,
            CoProcessing = program.System.CoProcessing.ToString().ToLowerInvariant(),
            MoeParallelism = program.System.MoeParallelism.ToString().ToLowerInvariant(),
            ThroughputTokensPerS = measured > 0 ? tokens / measured : 0,
            // Replica 0 serves every dp-th request and stands for all; never report more than were asked for.
            RequestsCompleted = Math.Min(totalRequests, loop.Completed * dp),
            OutputTokens = loop.OutputTokens * dp,
            SimulatedTimeS = simulated,
            Stages = loop.Stages,
            DecodeOnlyStageFraction = loop.Stages > 0 ? (double)loop.DecodeOnlyStages / loop.Stages : 0,
            EffectiveBatch = steady ? w.BatchTimeIntegral / w.TimeS * dp : simulated > 0 ? loop.BatchTimeIntegral / simulated * dp : 0,
            KvCapacityTokens = kvCapacity,
            BatchReducedTo = reducedTo,
            TtftS = (steady ? w.Ttft : loop.Ttft).Summarize(),
            TbtS = (steady ? w.Tbt : loop.Tbt).Summarize(),
            E2eS = (steady ? w.E2e : loop.E2e).Summarize(),
            SteadyState = steady ? new SteadyStateWindow(w.StartS, w.EndS, w.Stages, w.Ttft.Count) : null,
            StageTimeBreakdownS = (steady ? w : loop.Whole).StageBreakdown(),
            CommunicationS = backend.CommunicationBreakdown(),
            EnergyJPerToken = breakdown.Total,
            EnergyBreakdownJPerToken = breakdown,
            TimeBreakdownS = loop.Techniques.Spec is { } sp ? WithDraft(backend.BusyBreakdown(), sp.Draft.BusyBreakdown()) : backend.BusyBreakdown(),
            Notes = notes,
            Speculation = TechniqueStatsBuilder.Speculation(loop.Techniques.Spec, simulated),
            PrefixCache = TechniqueStatsBuilder.Prefix(loop.Techniques.Prefix),
        };
    }

    static IReadOnlyDictionary<string, double> WithDraft(IReadOnlyDictionary<string, double> target, IReadOnlyDictionary<string, double> draft)
    {
        var d = new SortedDictionary<string, double>(target.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
        foreach (var (k, v) in draft) d["draft:" + k] = v;
        return d;
    }

    static void Validate(WorkloadOptions o)
    {
        o.Speculation?.Validate();
        o.Prefix?.Validate();
        if (o.Batch is not null && o.Qps is not null) throw new InputException($"give either {Setting.Ref("batch")} (closed loop) or {Setting.Ref("qps")} (open loop), not both");
        if (o.Batch is < 1) throw new InputException($"{Setting.Ref("batch")} must be at least 1, got {o.Batch}");
        if (o.Qps is { } q && !(q > 0 && double.IsFinite(q))) throw new InputException($"{Setting.Ref("qps")} must be positive, got {q}");
        if (o.MaxBatch < 1) throw new InputException($"{Setting.Ref("max_batch")} must be at least 1, got {o.MaxBatch}");
        if (o.Requests is < 1) throw new InputException($"{Setting.Ref("requests")} must be at least 1, got {o.Requests}");
        if (o.InputLen < 1) throw new InputException($"{Setting.Ref("input_len")} must be at least 1, got {o.InputLen}");
        if (o.OutputLen < 1) throw new InputException($"{Setting.Ref("output_len")} must be at least 1, got {o.OutputLen}");
        if (!(o.LengthStd >= 0) || !double.IsFinite(o.LengthStd)) throw new InputException($"{Setting.Ref("length_std")} must be a non-negative fraction, got {o.LengthStd}");
        if (o.MaxBatchedTokens < 1) throw new InputException($"{Setting.Ref("max_batched_tokens")} must be at least 1, got {o.MaxBatchedTokens}");
        if (o.ChunkSize < 1) throw new InputException($"{Setting.Ref("chunk_size")} must be at least 1, got {o.ChunkSize}");
        WorkloadLimits.Check(o);   // upper bounds: docs/input-limits.md
    }
}
