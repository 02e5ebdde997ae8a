using System.CommandLine;

namespace CoDesign.Cli.Commands.Models;

/// <summary><c>codesign models [NAME|PATH]</c>: list the presets, or show one model normalised.</summary>
public static class ModelsCommand
{
    public static Command Create(CliContext ctx)
    {
        var name = new Argument<string?>("model") { Description = "Preset name, config.json or model directory to show", Arity = ArgumentArity.ZeroOrOne };
        var format = CommonOptions.Format();
        var cmd = new Command("models", "List model presets, or show one model (preset or Hugging Face config.json) normalised") { name, format };
        cmd.SetAction(p => ModelsHandler.Run(p.GetValue(name), p.GetValue(format), ctx));
        return cmd;
    }
}
