using System.CommandLine;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Schema;

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
        var draft = new Option<string?>("--draft-model") { Description = "Speculative decoding: the draft model (a directory, or tiny-draft) with the target's vocabulary" };
        var specK = new Option<int?>("--spec-k") { Description = "Speculative decoding: draft tokens the target verifies per step (needs --draft-model)" };
        var format = CommonOptions.Format();
        var cmd = new Command("run", "Run a model on real tokens: continuous batching, KV cache, greedy decoding, Duplex placement and co-processing; prints tokens and per-stage timings");
        inputs.AddTo(cmd);
        cmd.Options.Add(backend);
        cmd.Options.Add(draft);
        cmd.Options.Add(specK);
        cmd.Options.Add(format);
        cmd.SetAction(p =>
        {
            var k = p.GetValue(specK);
            if (p.GetValue(draft) is not { } d)
            {
                if (k is not null) throw new InputException("--spec-k needs --draft-model (a model directory or tiny-draft)");
                return RunHandler.Run(inputs.Resolve(p, p.GetValue(backend)!, ctx.Cancellation), p.GetValue(format), ctx);
            }
            SpeculativeRun.CheckK(k ?? 4);
            var run = inputs.Resolve(p, p.GetValue(backend)!, ctx.Cancellation);
            var draftWeights = TensorRunInputs.LoadWeights(d, p.GetValue(inputs.Seed));
            var draftPlan = DuplexPlan.FromProgram(inputs.Compile(p, draftWeights.Config));
            return SpeculativeRun.Run(run, draftWeights, draftPlan, k ?? 4, p.GetValue(format), ctx);
        });
        return cmd;
    }
}
