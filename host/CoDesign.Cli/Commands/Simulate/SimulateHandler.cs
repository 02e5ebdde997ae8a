using System.Text;
using CoDesign.Reports;
using CoDesign.Runtime.Serving;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Simulate;

public static class SimulateHandler
{
    /// <summary>Every stage as a slice with its counts and two counters; the operator timeline of the sampled stages.</summary>
    sealed class TraceCollector(int limit, int every) : ITraceSink
    {
        public readonly List<ChromeTrace.Event> Events = [];
        public readonly List<ChromeTrace.Counter> Counters = [];
        readonly HashSet<string> _detailed = [];
        public int Stages;
        public int Detailed => _detailed.Count;
        public int StageLimit => limit;
        public int SampleEvery => every;
        public void Add(in TraceEvent e)
        {
            if (e.Category == "stage") _detailed.Add(e.Name);   // one per track
            Events.Add(new(e.Name, e.Category, e.Device, e.Track, e.StartS, e.DurationS));
        }

        public void Stage(in StageSummary s)
        {
            Stages++;
            Events.Add(new($"{s.Kind} {s.Index}", "stages", 0, "stages", s.StartS, s.TimeS,
                [("tokens", s.Tokens), ("batch", s.Batch), ("decode_requests", s.DecodeRequests), ("prefill_requests", s.PrefillRequests),
                 ("prefill_tokens", s.PrefillTokens), ("kv_used_tokens", s.KvUsedTokens), ("energy_j", s.EnergyJ)]));
            Counters.Add(new("batch", 0, s.StartS, s.Batch));
            Counters.Add(new("kv_used_tokens", 0, s.StartS, s.KvUsedTokens));
        }
    }

    public static int Run(Schema.V1.Program program, WorkloadOptions options, string? stagesCsv, string? tracePath, int traceStages,
        OutputFormat format, CliContext ctx, int traceEvery = 100)
    {
        // Check output folders before spending time, and write nothing unless the run succeeds.
        foreach (var path in new[] { stagesCsv, tracePath })
            if (path is not null) AtomicFile.CheckWritable(path);
        StringBuilder? csv = null;
        if (stagesCsv is not null)
        {
            csv = new StringBuilder("index,kind,start_s,time_s,tokens,batch,decode_requests,prefill_requests,prefill_tokens,energy_j,host_busy_s,pim_busy_s,link_busy_s\n");
        }
        var collector = tracePath is null ? null : new TraceCollector(traceStages, traceEvery);
        Action<StageRecord>? onStage = csv is null ? null : r => csv.Append(Csv.Cell(r.Index)).Append(',').Append(r.Kind).Append(',')
            .Append(Csv.Cell(r.StartS)).Append(',').Append(Csv.Cell(r.TimeS)).Append(',').Append(r.Tokens).Append(',').Append(r.Batch).Append(',')
            .Append(r.DecodeRequests).Append(',').Append(r.PrefillRequests).Append(',').Append(r.PrefillTokens).Append(',')
            .Append(Csv.Cell(r.EnergyJ)).Append(',').Append(Csv.Cell(r.HostBusyS)).Append(',').Append(Csv.Cell(r.PimBusyS)).Append(',')
            .Append(Csv.Cell(r.LinkBusyS)).Append('\n');
        var result = ServingSimulator.Run(program, options, onStage, collector, ctx.Cancellation);
        if (csv is not null) AtomicFile.WriteText(stagesCsv!, csv.ToString());
        if (collector is not null)
        {
            var bytes = ChromeTrace.Serialize(collector.Events, collector.Counters);
            AtomicFile.Write(tracePath!, bytes);
            ctx.Err.WriteLine($"trace: all {collector.Stages} stages as slices with counters, the operator timeline of {collector.Detailed} " +
                              $"(the first {traceStages}, then every {traceEvery}th), {collector.Events.Count + collector.Counters.Count} events, {Units.Bytes(bytes.Length)} -> {tracePath}");
        }

        switch (format)
        {
            case OutputFormat.Json: Json.Write(ctx.Out, result); break;
            case OutputFormat.Csv: SimulationTable.WriteCsv(ctx.Out, result); break;
            default: SimulationTable.WriteTable(ctx.Out, result); break;
        }
        foreach (var note in result.Notes) ctx.Err.WriteLine($"codesign: note: {note}");
        return ExitCodes.Success;
    }
}
