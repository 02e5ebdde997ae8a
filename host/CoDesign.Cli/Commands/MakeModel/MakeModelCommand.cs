using System.CommandLine;

namespace CoDesign.Cli.Commands.MakeModel;

/// <summary><c>codesign make-model --preset tiny-moe|tiny-dense --out DIR --seed 1 [--dtype fp16|bf16|fp32] [--norm-topk-prob true|false]</c>.</summary>
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
        var format = CommonOptions.Format();
        var cmd = new Command("make-model", "Write a small random model (config.json + safetensors, Llama/Mixtral tensor names) for runs and tests without a download")
            { preset, outDir, seed, dtype, normTopK, format };
        cmd.SetAction(p => MakeModelHandler.Run(p.GetValue(preset)!, p.GetValue(outDir)!, p.GetValue(seed), p.GetValue(dtype), p.GetValue(normTopK), p.GetValue(format), ctx));
        return cmd;
    }
}
