using CoDesign.Cli.Commands.Run;
using CoDesign.Compiler.Models;
using CoDesign.Reports;
using CoDesign.Runtime.Tensors.Quantization;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.MakeModel;

public static class MakeModelHandler
{
    public sealed record MadeModel(string Model, string Directory, string Config, string Weights, string Dtype, int Tensors, long Bytes, ulong Seed);

    /// <summary>--weight-type int4|int8 and --group-size; null type: float weights.</summary>
    public sealed record Quantisation(string? WeightType, int? GroupSize)
    {
        public (int Bits, int Group)? Resolve()
        {
            if (WeightType is null)
                return GroupSize is null ? null : throw new InputException("--group-size needs --weight-type int4 or int8");
            int bits = WeightType.Trim().ToLowerInvariant() switch
            {
                "int4" => 4,
                "int8" => 8,
                _ => throw new InputException($"--weight-type: '{WeightType}' is not one of int4, int8 (make-model writes GPTQ checkpoints; fp16/bf16/fp32 are --dtype)"),
            };
            int group = GroupSize ?? (int)Schema.Quantization.WeightFormat.DefaultIntGroupSize;
            if (group < 0 || group > WeightQuantisation.MaxGroupSize)
                throw new InputException($"--group-size: {group} is outside [0, {WeightQuantisation.MaxGroupSize}] (0 = one group per output column)");
            return (bits, group);
        }
    }

    public static int Run(string preset, string outDir, ulong seed, string? dtype, string? normTopK, Quantisation quant, OutputFormat format, CliContext ctx)
    {
        var q = quant.Resolve();
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
        if (q is { } qq) weights = GptqCheckpoint.Quantise(weights, qq.Bits, qq.Group);
        var (cfg, file, bytes, count) = ModelDirectoryWriter.Write(weights, outDir);
        var m = new MadeModel(config.Name, outDir, cfg, file, q is { } g ? $"{storage.HeaderName()} + GPTQ int{g.Bits} {(g.Group == 0 ? "per channel" : $"g{g.Group}")}" : storage.HeaderName(), count, bytes, seed);
        new MakeModelRenderer().Write(ctx.Out, m, format);
        return ExitCodes.Success;
    }
}
