using System.Text;
using CoDesign.Reports;
using CoDesign.Runtime.Serving;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Simulate;

public static class SimulateHandler
{
    /// <summary>
    /// Every stage as a slice with its counts and two counters on the serving process; the operator timeline of the
    /// sampled stages on each drawn device's tracks; flows through the stages of the sampled requests.
    /// </summary>
    sealed class TraceCollector(TraceOptions o) : ITraceSink
    {
        const string StageTrack = "stages";
        public readonly List<ChromeTrace.Event> Events = [];
        public readonly List<ChromeTrace.Counter> Counters = [];
        public readonly List<ChromeTrace.Flow> Flows = [];
        readonly HashSet<string> _detailed = [];
        readonly HashSet<int> _devices = [];
        readonly Dictionary<int, int> _lastStage = [];
        public int Stages;
        public int Detailed => _detailed.Count;
        public int DevicesDrawn => _devices.Count;
        public int FlowsDrawn => _lastStage.Count;
        public int StageLimit => o.Stages;
        public int SampleEvery => o.Every;
        public int DeviceLimit => o.Devices;
        public int FlowRequests => o.Requests;
        public void Add(in TraceEvent e)
        {
            if (e.Category == "stage") _detailed.Add(e.Name);   // one per track
            _devices.Add(e.Device);
            Events.Add(new(e.Name, e.Category, e.Device, e.Track, e.StartS, e.DurationS, e.Args is { } a
                ? [("flops", a.Flops), ("bytes", a.Bytes), ("tokens", a.Tokens), ("batch", a.Batch)]
                : null));
        }

        public void Stage(in StageSummary s)
        {
            Stages++;
            Events.Add(new($"{s.Kind} {s.Index}", "stages", ChromeTrace.Serving, StageTrack, s.StartS, s.TimeS,
                [("tokens", s.Tokens), ("batch", s.Batch), ("decode_requests", s.DecodeRequests), ("prefill_requests", s.PrefillRequests),
                 ("prefill_tokens", s.PrefillTokens), ("kv_used_tokens", s.KvUsedTokens), ("energy_j", s.EnergyJ)]));
            Counters.Add(new("batch", ChromeTrace.Serving, s.StartS, s.Batch));
            Counters.Add(new("kv_used_tokens", ChromeTrace.Serving, s.StartS, s.KvUsedTokens));
        }

        /// <summary>One flow per request: its first prefill stage, the stage of its first token, its last stage (a stage
        /// reached twice counts once). Points sit mid-stage so each binds to that stage's slice, not its neighbour.</summary>
        public void Request(in RequestStep r)
        {
            bool first = !_lastStage.TryGetValue(r.RequestId, out int last);
            if (!first && last == r.Stage)
            {
                if (r.Kind == RequestStepKind.Done && Flows[^1].Id == r.RequestId) Flows[^1] = Flows[^1] with { Phase = ChromeTrace.FlowPhase.End };
                return;
            }
            _lastStage[r.RequestId] = r.Stage;
            var phase = first ? ChromeTrace.FlowPhase.Start : r.Kind == RequestStepKind.Done ? ChromeTrace.FlowPhase.End : ChromeTrace.FlowPhase.Step;
            Flows.Add(new(r.RequestId, $"request {r.RequestId}", ChromeTrace.Serving, StageTrack, r.StageStartS + r.StageS / 2, phase));
        }
    }

    /// <summary>What <c>--trace</c> holds and how it is written.</summary>
    public sealed record TraceOptions(int Stages = 16, int Every = 100, int Devices = 4, int Requests = 32, TraceFormat Format = TraceFormat.Json);

    public enum TraceFormat { Json, Perfetto }

    public static int Run(Schema.V1.Program program, WorkloadOptions options, string? stagesCsv, string? tracePath, TraceOptions traceOptions,
        OutputFormat format, CliContext ctx)
    {
        // Check output folders before spending time, and write nothing unless the run succeeds.
        foreach (var path in new[] { stagesCsv, tracePath })
            if (path is not null) AtomicFile.CheckWritable(path);
        StringBuilder? csv = null;
        if (stagesCsv is not null)
        {
            csv = new StringBuilder("index,kind,start_s,time_s,tokens,batch,decode_requests,prefill_requests,prefill_tokens,energy_j,host_busy_s,pim_busy_s,link_busy_s\n");
        }
        var collector = tracePath is null ? null : new TraceCollector(traceOptions);
        Action<StageRecord>? onStage = csv is null ? null : r => csv.Append(Csv.Cell(r.Index)).Append(',').Append(r.Kind).Append(',')
            .Append(Csv.Cell(r.StartS)).Append(',').Append(Csv.Cell(r.TimeS)).Append(',').Append(r.Tokens).Append(',').Append(r.Batch).Append(',')
            .Append(r.DecodeRequests).Append(',').Append(r.PrefillRequests).Append(',').Append(r.PrefillTokens).Append(',')
            .Append(Csv.Cell(r.EnergyJ)).Append(',').Append(Csv.Cell(r.HostBusyS)).Append(',').Append(Csv.Cell(r.PimBusyS)).Append(',')
            .Append(Csv.Cell(r.LinkBusyS)).Append('\n');
        var result = ServingSimulator.Run(program, options, onStage, collector, ctx.Cancellation);
        if (csv is not null) AtomicFile.WriteText(stagesCsv!, csv.ToString());
        if (collector is not null)
        {
            var bytes = traceOptions.Format == TraceFormat.Perfetto
                ? PerfettoTrace.Serialize(collector.Events, collector.Counters, collector.Flows)
                : ChromeTrace.Serialize(collector.Events, collector.Counters, collector.Flows);
            AtomicFile.Write(tracePath!, bytes);
            int devices = (int)program.System.Devices;
            ctx.Err.WriteLine($"trace: all {collector.Stages} stages as slices with counters, " +
                              $"the operator timeline of {collector.Detailed} (the first {traceOptions.Stages}, then every {traceOptions.Every}th) " +
                              $"on {collector.DevicesDrawn} of {devices} devices, flows of {collector.FlowsDrawn} requests, " +
                              $"{collector.Events.Count + collector.Counters.Count + collector.Flows.Count} events, " +
                              $"{(traceOptions.Format == TraceFormat.Perfetto ? "Perfetto protobuf" : "Chrome JSON")} {Units.Bytes(bytes.Length)} -> {tracePath}");
        }

        new SimulateRenderer().Write(ctx.Out, result, format);
        foreach (var note in result.Notes) ctx.Err.WriteLine($"codesign: note: {note}");
        return ExitCodes.Success;
    }
}
