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
    /// <summary>Each drawn device repeats the operator timeline; past this the trace is too large to open (our bound).</summary>
    const int MaxTraceDevices = 1024;
    /// <summary>Flows beyond this many clutter the view more than they show (our bound).</summary>
    const int MaxTraceRequests = 10_000;

    static SimulateHandler.TraceFormat TraceFormatOf(string? format, string? path) => format?.ToLowerInvariant() switch
    {
        "json" => SimulateHandler.TraceFormat.Json,
        "perfetto" => SimulateHandler.TraceFormat.Perfetto,
        null => Path.GetExtension(path ?? "").ToLowerInvariant() is ".perfetto-trace" or ".pftrace" or ".pb"
            ? SimulateHandler.TraceFormat.Perfetto : SimulateHandler.TraceFormat.Json,
        _ => throw new InputException($"--trace-format must be json or perfetto, got {Schema.Validation.InputText.Quote(format)}"),
    };

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
        var workload = new Option<string?>("--workload") { Description = "CSV trace arrival_s,input_len,output_len (optional prefix_group,prefix_len naming a shared prefix) instead of generated requests" };
        var routing = new Option<string>("--routing") { Description = "Expert routing: uniform or zipf:S", DefaultValueFactory = _ => "uniform" };
        var scheduler = ProgramArgs.Choice(SystemOptionTables.Scheduler);
        var maxTokens = new Option<int>("--max-batched-tokens") { Description = "Token budget of one stage (mixed, prefill-first)", DefaultValueFactory = _ => 8192 };
        var chunk = new Option<int>("--chunk-size") { Description = "Token budget of one stage for the chunked scheduler", DefaultValueFactory = _ => 512 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random choice", DefaultValueFactory = _ => 1 };
        var stagesCsv = new Option<string?>("--stages-csv") { Description = "Write one CSV row per stage to this file" };
        var trace = new Option<string?>("--trace") { Description = "Write a trace of the run for Perfetto: every stage with its counts, the operator timeline of sampled stages per device, request flows" };
        var traceFormat = new Option<string?>("--trace-format") { Description = "json (Chrome trace events) or perfetto (protobuf, for long runs); default: perfetto for a .perfetto-trace, .pftrace or .pb file, else json" };
        var traceDevices = new Option<int>("--trace-devices") { Description = "Devices (from device 0) with their own tracks in --trace (each repeats the operator timeline, so the default keeps long runs small)", DefaultValueFactory = _ => 4 };
        var traceRequests = new Option<int>("--trace-requests") { Description = "Requests, spread over the run, whose stages --trace ties together by flows (0: none)", DefaultValueFactory = _ => 32 };
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
        var techniques = new Techniques.TechniqueArgs();
        techniques.AddTo(cmd);
        foreach (var opt in new Option[] { batch, qps, maxBatch, requests, inputLen, outputLen, lengthStd, workload, routing, scheduler, maxTokens, chunk, seed, stagesCsv, trace, traceFormat, traceStages, traceEvery, traceDevices, traceRequests, allowLong, backend, format })
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
                Speculation = techniques.ResolveSpeculation(p, sys),
                Prefix = techniques.ResolvePrefix(p),
            };
            Backends.BackendTable.RequireCosting(p.GetValue(backend)!);
            if (p.GetValue(traceStages) is < 1 or > MaxTraceStages) throw new InputException($"--trace-stages must be in [1, {MaxTraceStages}], got {p.GetValue(traceStages)}");
            if (p.GetValue(traceEvery) < 0) throw new InputException("--trace-every must not be negative");
            if (p.GetValue(traceDevices) is < 1 or > MaxTraceDevices) throw new InputException($"--trace-devices must be in [1, {MaxTraceDevices}], got {p.GetValue(traceDevices)}");
            if (p.GetValue(traceRequests) is < 0 or > MaxTraceRequests) throw new InputException($"--trace-requests must be in [0, {MaxTraceRequests}], got {p.GetValue(traceRequests)}");
            var traceOptions = new SimulateHandler.TraceOptions(p.GetValue(traceStages), p.GetValue(traceEvery), p.GetValue(traceDevices),
                p.GetValue(traceRequests), TraceFormatOf(p.GetValue(traceFormat), p.GetValue(trace)));
            return SimulateHandler.Run(sys.Program(p), options, p.GetValue(stagesCsv), p.GetValue(trace), traceOptions, p.GetValue(format), ctx);
        });
        return cmd;
    }
}
