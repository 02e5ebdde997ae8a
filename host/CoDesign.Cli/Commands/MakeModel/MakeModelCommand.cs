using System.CommandLine;

namespace CoDesign.Cli.Commands.MakeModel;

/// <summary><c>codesign make-model --preset tiny-moe|tiny-dense --out DIR --seed 1 [--dtype fp16|bf16|fp32]</c>.</summary>
public static class MakeModelCommand
{
    public static Command Create(CliContext ctx)
    {
        var preset = new Option<string>("--preset") { Description = "tiny-moe or tiny-dense", Required = true };
        var outDir = new Option<string>("--out", "-o") { Description = "Directory to write config.json and model.safetensors into", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random weights (same seed, same bytes)", DefaultValueFactory = _ => 1 };
        var dtype = new Option<string?>("--dtype") { Description = "Weight storage type: fp16, bf16 or fp32 (default: the preset's weight type)" };
        var format = CommonOptions.Format();
        var cmd = new Command("make-model", "Write a small random model (config.json + safetensors, Llama/Mixtral tensor names) for runs and tests without a download")
            { preset, outDir, seed, dtype, format };
        cmd.SetAction(p => MakeModelHandler.Run(p.GetValue(preset)!, p.GetValue(outDir)!, p.GetValue(seed), p.GetValue(dtype), p.GetValue(format), ctx));
        return cmd;
    }
}
