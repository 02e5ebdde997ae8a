using System.CommandLine;
using CoDesign.Runtime.Serving;
using CoDesign.Schema;
using CoDesign.Sweeps.Options;

namespace CoDesign.Cli.Commands.Simulate;

/// <summary><c>codesign simulate</c>: serve a workload on a system; throughput, latency percentiles and energy.</summary>
public static class SimulateCommand
{
    /// <summary>A trace of more stages than this is too large for the viewers (our bound: ~100 MB of JSON).</summary>
    const int MaxTraceStages = 10_000;

    public static Command Create(CliContext ctx)
    {
        var sys = new SystemArgs();
        var batch = new Option<int?>("--batch", "-b") { Description = "Closed loop: requests kept in flight (a finished one is replaced at once)" };
        var qps = new Option<double?>("--qps") { Description = "Open loop: Poisson arrivals, requests per second" };
        var maxBatch = new Option<int>("--max-batch") { Description = "Open loop: most requests in flight", DefaultValueFactory = _ => 128 };
        var requests = new Option<int?>("--requests", "-n") { Description = "Requests to complete (default: 8 x batch, for a steady state)" };
        var inputLen = new Option<int>("--input-len") { Description = "Mean prompt length in tokens", DefaultValueFactory = _ => 1024 };
        var outputLen = new Option<int>("--output-len") { Description = "Mean output length in tokens", DefaultValueFactory = _ => 1024 };
        var lengthStd = new Option<double>("--length-std") { Description = "Gaussian length spread as a fraction of the mean (0 = fixed)", DefaultValueFactory = _ => 0 };
        var workload = new Option<string?>("--workload") { Description = "CSV trace arrival_s,input_len,output_len instead of generated requests" };
        var routing = new Option<string>("--routing") { Description = "Expert routing: uniform or zipf:S", DefaultValueFactory = _ => "uniform" };
        var scheduler = ProgramArgs.Choice(SystemOptionTables.Scheduler);
        var maxTokens = new Option<int>("--max-batched-tokens") { Description = "Token budget of one stage (mixed, prefill-first)", DefaultValueFactory = _ => 8192 };
        var chunk = new Option<int>("--chunk-size") { Description = "Token budget of one stage for the chunked scheduler", DefaultValueFactory = _ => 512 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random choice", DefaultValueFactory = _ => 1 };
        var stagesCsv = new Option<string?>("--stages-csv") { Description = "Write one CSV row per stage to this file" };
        var trace = new Option<string?>("--trace") { Description = "Write a Chrome/Perfetto trace (JSON) of the run: every stage with its counts, and the operator timeline of sampled stages" };
        var traceStages = new Option<int>("--trace-stages") { Description = "Stages from the start with the operator timeline in --trace", DefaultValueFactory = _ => 16 };
        var traceEvery = new Option<int>("--trace-every") { Description = "After those, the operator timeline of every Nth stage (0: none)", DefaultValueFactory = _ => 100 };
        var allowLong = new Option<bool>("--allow-long-run") { Description = "Run even when the estimated stage count exceeds the work limit (docs/input-limits.md); Ctrl-C stops it" };
        var backend = new Option<string>("--backend", "-b")
        {
            Description = $"Backend that costs each stage, from the one table of backends ({Backends.BackendTable.Analytic}: the machine model)",
            DefaultValueFactory = _ => Backends.BackendTable.Analytic,
        };
        var format = CommonOptions.Format();
        var cmd = new Command("simulate", "Serve a workload on a system stage by stage: throughput, TTFT/TBT/E2E percentiles, energy per token");
        sys.AddTo(cmd);
        foreach (var opt in new Option[] { batch, qps, maxBatch, requests, inputLen, outputLen, lengthStd, workload, routing, scheduler, maxTokens, chunk, seed, stagesCsv, trace, traceStages, traceEvery, allowLong, backend, format })
            cmd.Options.Add(opt);
        cmd.SetAction(p =>
        {
            var options = new WorkloadOptions
            {
                Batch = p.GetValue(batch) ?? (p.GetValue(qps) is null ? 128 : null),
                Qps = p.GetValue(qps),
                MaxBatch = p.GetValue(maxBatch),
                Requests = p.GetValue(requests),
                InputLen = p.GetValue(inputLen),
                OutputLen = p.GetValue(outputLen),
                LengthStd = p.GetValue(lengthStd),
                TraceCsv = p.GetValue(workload),
                Routing = p.GetValue(routing)!,
                Scheduler = SystemOptionTables.Scheduler.Parse(p.GetValue(scheduler), SystemOptionTables.Scheduler.Flag),
                MaxBatchedTokens = p.GetValue(maxTokens),
                ChunkSize = p.GetValue(chunk),
                Seed = p.GetValue(seed),
                AllowLongRun = p.GetValue(allowLong),
            };
            Backends.BackendTable.RequireCosting(p.GetValue(backend)!);
            if (p.GetValue(traceStages) is < 1 or > MaxTraceStages) throw new InputException($"--trace-stages must be in [1, {MaxTraceStages}], got {p.GetValue(traceStages)}");
            if (p.GetValue(traceEvery) < 0) throw new InputException("--trace-every must not be negative");
            return SimulateHandler.Run(sys.Program(p), options, p.GetValue(stagesCsv), p.GetValue(trace), p.GetValue(traceStages), p.GetValue(format), ctx, p.GetValue(traceEvery));
        });
        return cmd;
    }
}
