using System.CommandLine;
using CoDesign.Cli.Commands.Run;

namespace CoDesign.Cli.Commands.Validate;

/// <summary><c>codesign validate --model DIR --backend gpu|cpu|rtl</c>: per-operator errors and greedy tokens against the float64 reference.</summary>
public static class ValidateCommand
{
    public static Command Create(CliContext ctx)
    {
        var inputs = new TensorRunInputs();
        var backend = new Option<string>("--backend", "-b")
        {
            Description = "Backend to validate: cpu, gpu, reference; rtl = Logic-PIM operators on the RTL units, the rest on cpu",
            Required = true,
        };
        var format = CommonOptions.Format();
        var cmd = new Command("validate", "Run the same requests on a backend and on the float64 reference: per-operator max abs/rel error, greedy tokens, " +
            "pass/fail against tolerances derived from the backend's number format (exit 1 on failure)");
        inputs.AddTo(cmd);
        cmd.Options.Add(backend);
        cmd.Options.Add(format);
        cmd.SetAction(p => ValidateHandler.Run(inputs.Resolve(p, p.GetValue(backend)!, ctx.Cancellation), p.GetValue(format), ctx));
        return cmd;
    }
}
