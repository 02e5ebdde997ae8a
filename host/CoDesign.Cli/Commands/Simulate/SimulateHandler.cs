using System.Text;
using CoDesign.Reports;
using CoDesign.Runtime.Serving;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Simulate;

public static class SimulateHandler
{
    sealed class TraceCollector(int limit) : ITraceSink
    {
        public readonly List<ChromeTrace.Event> Events = [];
        public int StageLimit => limit;
        public void Add(in TraceEvent e) => Events.Add(new(e.Name, e.Category, e.Device, e.Track, e.StartS, e.DurationS));
    }

    public static int Run(Schema.V1.Program program, WorkloadOptions options, string? stagesCsv, string? tracePath, int traceStages,
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
        var collector = tracePath is null ? null : new TraceCollector(traceStages);
        Action<StageRecord>? onStage = csv is null ? null : r => csv.Append(Csv.Cell(r.Index)).Append(',').Append(r.Kind).Append(',')
            .Append(Csv.Cell(r.StartS)).Append(',').Append(Csv.Cell(r.TimeS)).Append(',').Append(r.Tokens).Append(',').Append(r.Batch).Append(',')
            .Append(r.DecodeRequests).Append(',').Append(r.PrefillRequests).Append(',').Append(r.PrefillTokens).Append(',')
            .Append(Csv.Cell(r.EnergyJ)).Append(',').Append(Csv.Cell(r.HostBusyS)).Append(',').Append(Csv.Cell(r.PimBusyS)).Append(',')
            .Append(Csv.Cell(r.LinkBusyS)).Append('\n');
        var result = ServingSimulator.Run(program, options, onStage, collector, ctx.Cancellation);
        if (csv is not null) AtomicFile.WriteText(stagesCsv!, csv.ToString());
        if (collector is not null) AtomicFile.Write(tracePath!, ChromeTrace.Serialize(collector.Events));

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
