using System.Text.Json;
using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Bench;

/// <summary>One <c>bench</c> measurement of the serving simulator: the workload, its size and the times measured.</summary>
public sealed record BenchResult(string Model, string Hardware, uint Devices, int Batch, int Requests, int InputLen, int OutputLen,
    long OutputTokens, long Stages, double CompileS, double MinS, double MedianS, int Repeat, double StagesPerS, int ProcessorCount,
    string DateUtc);

public sealed class BenchRenderer : Renderer<BenchResult>
{
    protected override void Table(TextWriter w, BenchResult r) =>
        w.WriteLine($"simulate {r.Model} on {r.Devices} x {r.Hardware}, batch {r.Batch}, {r.InputLen}/{r.OutputLen}, {r.Requests} requests " +
            $"({Units.Number(r.OutputTokens)} output tokens, {Units.Number(r.Stages)} stages): min {Units.Seconds(r.MinS)}, " +
            $"median {Units.Seconds(r.MedianS)} over {r.Repeat} runs (compile {Units.Seconds(r.CompileS)}; {r.ProcessorCount} cores visible, simulator single-threaded)");

    /// <summary>One key per line, named as the JSON names them.</summary>
    protected override void Csv(TextWriter w, BenchResult r) =>
        Reports.Csv.Write(w, ["key", "value"], typeof(BenchResult).GetProperties()
            .Select(p => (IReadOnlyList<object?>)[JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), p.GetValue(r)]));
}
