using System.CommandLine;

namespace CoDesign.Cli.Commands.Compile;

/// <summary><c>codesign compile</c>: emit the Program (protobuf) that the runtime executes.</summary>
public static class CompileCommand
{
    public static Command Create(CliContext ctx)
    {
        var sys = new SystemArgs(readsPrograms: false);
        var output = new Option<string>("--out", "-o") { Description = "Program file to write (.pb binary, or .json for protobuf JSON)", Required = true };
        var format = CommonOptions.Format();
        var cmd = new Command("compile", "Compile a model for a system into a Program (protobuf) and summarise it");
        sys.AddTo(cmd);
        cmd.Options.Add(output);
        cmd.Options.Add(format);
        cmd.SetAction(p => CompileHandler.Run(sys.Compile(p), p.GetValue(output)!, p.GetValue(format), ctx));
        return cmd;
    }
}
