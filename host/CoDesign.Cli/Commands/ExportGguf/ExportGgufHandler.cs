using CoDesign.Cli.Commands.Run;
using CoDesign.Reports;
using CoDesign.Runtime.Tensors.Gguf;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.ExportGguf;

public static class ExportGgufHandler
{
    public sealed record Exported(string Model, string Architecture, string File, int Tensors, long Bytes);

    public static int Run(string model, string outFile, string? dtype, ulong seed, OutputFormat format, CliContext ctx)
    {
        TensorDType? type = dtype is null ? null : TensorDTypes.Parse(dtype, "--dtype");
        var weights = TensorRunInputs.LoadWeights(model, seed);
        var r = GgufExporter.Write(weights, outFile, type);
        var e = new Exported(weights.Config.Name, r.Architecture, outFile, r.Tensors, r.Bytes);
        switch (format)
        {
            case OutputFormat.Json: Json.Write(ctx.Out, e); break;
            case OutputFormat.Csv:
                Csv.Write(ctx.Out, ["model", "architecture", "file", "tensors", "bytes"], [[e.Model, e.Architecture, e.File, e.Tensors, e.Bytes]]);
                break;
            default:
                ctx.Out.WriteLine($"wrote {e.Model} as GGUF ({e.Architecture}) to {e.File}: {e.Tensors} tensors, {Units.Bytes(e.Bytes)}");
                break;
        }
        return ExitCodes.Success;
    }
}
