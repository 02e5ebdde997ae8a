using System.CommandLine;

namespace CoDesign.Cli.Commands.Run;

/// <summary><c>codesign run --model DIR|tiny-moe --backend cpu|gpu|reference|rtl --prompts FILE --max-new-tokens N</c>.</summary>
public static class RunCommand
{
    public static Command Create(CliContext ctx)
    {
        var inputs = new TensorRunInputs();
        var backend = new Option<string>("--backend", "-b")
        {
            Description = "Backend for xPU-placed operators: reference, cpu, gpu; rtl = Logic-PIM operators on the RTL units, the rest on cpu",
            DefaultValueFactory = _ => "cpu",
        };
        var format = CommonOptions.Format();
        var cmd = new Command("run", "Run a model on real tokens: continuous batching, KV cache, greedy decoding, Duplex placement and co-processing; prints tokens and per-stage timings");
        inputs.AddTo(cmd);
        cmd.Options.Add(backend);
        cmd.Options.Add(format);
        cmd.SetAction(p => RunHandler.Run(inputs.Resolve(p, p.GetValue(backend)!, ctx.Cancellation), p.GetValue(format), ctx));
        return cmd;
    }
}
