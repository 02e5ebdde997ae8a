using System.CommandLine;

namespace CoDesign.Cli.Commands.ExportGguf;

/// <summary><c>codesign export-gguf --model DIR|tiny-moe|tiny-dense --out F.gguf [--dtype fp32|fp16|bf16] [--seed S]</c>.</summary>
public static class ExportGgufCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = CommonOptions.Model();
        var outFile = new Option<string>("--out", "-o") { Description = "GGUF file to write (llama.cpp's format, version 3)", Required = true };
        var dtype = new Option<string?>("--dtype") { Description = "Type of the weight matrices: fp32, fp16 or bf16 (default: as stored in the checkpoint); norms and routers are always F32" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of tiny-moe/tiny-dense random weights when --model names a preset", DefaultValueFactory = _ => 1 };
        var format = CommonOptions.Format();
        var cmd = new Command("export-gguf", "Write a checkpoint as a GGUF file that llama.cpp loads (llama and qwen2moe architectures; tensor names and metadata keys as llama.cpp's converter writes them)")
            { model, outFile, dtype, seed, format };
        cmd.SetAction(p => ExportGgufHandler.Run(p.GetValue(model)!, p.GetValue(outFile)!, p.GetValue(dtype), p.GetValue(seed), p.GetValue(format), ctx));
        return cmd;
    }
}
