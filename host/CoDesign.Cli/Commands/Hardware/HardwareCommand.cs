using System.CommandLine;
using CoDesign.Reports;
using CoDesign.Schema.Hardware;

namespace CoDesign.Cli.Commands.Hardware;

/// <summary><c>codesign hardware [NAME|FILE]</c>: list the presets, or print one (validated) as protobuf JSON.</summary>
public static class HardwareCommand
{
    public static Command Create(CliContext ctx)
    {
        var name = new Argument<string?>("name") { Description = "Preset name or hardware JSON file to print", Arity = ArgumentArity.ZeroOrOne };
        var format = CommonOptions.Format();
        var cmd = new Command("hardware", "List hardware presets, or print one (or a validated file) as protobuf JSON") { name, format };
        cmd.SetAction(p => HardwareHandler.Run(p.GetValue(name), p.GetValue(format), ctx));
        return cmd;
    }
}
