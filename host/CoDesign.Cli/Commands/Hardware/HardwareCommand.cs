using System.CommandLine;
using CoDesign.Reports;
using CoDesign.Schema.Hardware;

namespace CoDesign.Cli.Commands.Hardware;

/// <summary><c>codesign hardware [NAME|FILE] [--explain]</c>: list the presets, print one (validated) as a hardware file,
/// or explain every field of one.</summary>
public static class HardwareCommand
{
    public static Command Create(CliContext ctx)
    {
        var name = new Argument<string?>("name") { Description = "Preset name or hardware JSON file to print", Arity = ArgumentArity.ZeroOrOne };
        var format = CommonOptions.Format();
        var explain = new Option<bool>("--explain") { Description = "Print every field with its value, unit, meaning and source (a table unless --format says otherwise)" };
        var cmd = new Command("hardware", "List hardware presets, or print one (or a validated file) as a hardware file (JSON), or --explain it") { name, format, explain };
        // One device prints as its file (JSON) unless a format is asked for: `hardware duplex > my-device.json` starts a file.
        cmd.SetAction(p => HardwareHandler.Run(p.GetValue(name), p.GetValue(format), p.GetResult(format) is { IdentifierToken: not null }, p.GetValue(explain), ctx));
        return cmd;
    }
}
