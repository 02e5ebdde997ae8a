using CoDesign.Compiler.Models;
using CoDesign.Reports;

namespace CoDesign.Cli.Commands.Models;

public static class ModelsHandler
{
    public static int Run(string? name, OutputFormat format, CliContext ctx)
    {
        var models = name is null
            ? ModelPresets.AllNames.Select(n => ModelLoader.WithTypes(ModelLoader.Resolve(n), null, null, null)).ToList()
            : [ModelLoader.WithTypes(ModelLoader.Resolve(name), null, null, null)];
        new ModelsRenderer().Write(ctx.Out, new ModelsOutput(models, name is not null), format);
        return ExitCodes.Success;
    }
}
