using CoDesign.Cli.Commands.Run;
using CoDesign.Compiler.Models;
using CoDesign.Reports;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.MakeModel;

public static class MakeModelHandler
{
    public sealed record MadeModel(string Model, string Directory, string Config, string Weights, string Dtype, int Tensors, long Bytes, ulong Seed);

    public static int Run(string preset, string outDir, ulong seed, string? dtype, string? normTopK, OutputFormat format, CliContext ctx)
    {
        var config = TinyPresets.TryGet(preset)
            ?? throw new InputException($"--preset: '{preset}' is not one of {string.Join(", ", TinyPresets.Names)}");
        if (normTopK is not null)
        {
            if (config.NumExperts == 0) throw new InputException($"--norm-topk-prob: {preset} has no router (a dense model)");
            config = config.Clone();
            config.NormTopkProb = normTopK.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new InputException($"--norm-topk-prob: '{normTopK}' is not one of true, false"),
            };
        }
        var storage = dtype is null ? TensorRunInputs.StorageType(config.WeightType) : TensorDTypes.Parse(dtype, "--dtype");
        var weights = RandomModel.Create(config, seed, storage);
        var (cfg, file, bytes, count) = ModelDirectoryWriter.Write(weights, outDir);
        var m = new MadeModel(config.Name, outDir, cfg, file, storage.HeaderName(), count, bytes, seed);
        new MakeModelRenderer().Write(ctx.Out, m, format);
        return ExitCodes.Success;
    }
}
