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
        new ExportGgufRenderer().Write(ctx.Out, e, format);
        return ExitCodes.Success;
    }
}
