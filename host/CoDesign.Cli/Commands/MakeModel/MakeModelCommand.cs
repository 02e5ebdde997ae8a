using System.CommandLine;

namespace CoDesign.Cli.Commands.MakeModel;

/// <summary><c>codesign make-model --preset tiny-moe|tiny-dense --out DIR --seed 1 [--dtype fp16|bf16|fp32] [--norm-topk-prob true|false] [--weight-type int4|int8 --group-size G]</c>.</summary>
public static class MakeModelCommand
{
    public static Command Create(CliContext ctx)
    {
        var preset = new Option<string>("--preset") { Description = "tiny-moe or tiny-dense", Required = true };
        var outDir = new Option<string>("--out", "-o") { Description = "Directory to write config.json and model.safetensors into", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random weights (same seed, same bytes)", DefaultValueFactory = _ => 1 };
        var dtype = new Option<string?>("--dtype") { Description = "Weight storage type: fp16, bf16 or fp32 (default: the preset's weight type)" };
        var normTopK = new Option<string?>("--norm-topk-prob")
        {
            Description = "MoE presets: true renormalises the top-k routing weights (Mixtral, the default); false keeps the raw softmax probabilities " +
                "(Qwen2/3-MoE, OLMoE). Written to config.json as norm_topk_prob",
        };
        var weightType = new Option<string?>("--weight-type")
        {
            Description = "int4 or int8: write a GPTQ (v1) checkpoint of the linear layers (qweight, qzeros, scales, g_idx + quantization_config); default: float weights in --dtype",
        };
        var groupSize = new Option<int?>("--group-size") { Description = "GPTQ weights per scale/zero-point group along K (default 128; 0 = one group per output column); must divide every K" };
        var format = CommonOptions.Format();
        var cmd = new Command("make-model", "Write a small random model (config.json + safetensors, Llama/Mixtral tensor names) for runs and tests without a download")
            { preset, outDir, seed, dtype, normTopK, weightType, groupSize, format };
        cmd.SetAction(p => MakeModelHandler.Run(p.GetValue(preset)!, p.GetValue(outDir)!, p.GetValue(seed), p.GetValue(dtype), p.GetValue(normTopK),
            new MakeModelHandler.Quantisation(p.GetValue(weightType), p.GetValue(groupSize)), p.GetValue(format), ctx));
        return cmd;
    }
}
