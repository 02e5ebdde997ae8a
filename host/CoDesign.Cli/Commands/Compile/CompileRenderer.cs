using System.Text.Json;
using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Compile;

/// <summary>What <c>compile</c> wrote: the Program file and what it holds.</summary>
public sealed record CompileSummary(string Program, string Model, string Hardware, uint Devices, uint Nodes, uint TensorParallel,
    uint DataParallel, string MoeParallelism, uint LocalExperts, double WeightBytesPerDevice, double KvBytesPerTokenPerDevice,
    double KvCapacityTokens, int Operators, int PimKernels, int PimInstructions, long SizeBytes, string ContentSha256);

public sealed class CompileRenderer : Renderer<CompileSummary>
{
    protected override void Table(TextWriter w, CompileSummary s) =>
        w.WriteLine($"wrote {s.Program} ({Units.Bytes(s.SizeBytes)}): {s.Model} on {s.Devices} x {s.Hardware} " +
            $"(TP {s.TensorParallel}, DP {s.DataParallel}, MoE {s.MoeParallelism}, {s.LocalExperts} local experts); " +
            $"weights {Units.Bytes(s.WeightBytesPerDevice)}/device, KV capacity {Units.Number(s.KvCapacityTokens)} tokens/device; " +
            $"{s.PimKernels} Logic-PIM kernels ({s.PimInstructions} instructions)");

    /// <summary>One key per line, named as the JSON names them.</summary>
    protected override void Csv(TextWriter w, CompileSummary s) =>
        Reports.Csv.Write(w, ["key", "value"], typeof(CompileSummary).GetProperties()
            .Select(p => (IReadOnlyList<object?>)[JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), p.GetValue(s)]));
}
