using System.CommandLine;
using CoDesign.Reports.Guards;
using CoDesign.Schema;
using CoDesign.Schema.Validation;

namespace CoDesign.Cli;

/// <summary>
/// Builds the command tree and runs it with the CLI's contract: results on stdout, one-line errors on
/// stderr, exit 0 / 2 (bad input) / 1 (internal failure). Verbs register in <see cref="Verbs"/>, one line each.
/// </summary>
public static class CodesignApp
{
    /// <summary>The one table of verbs. Each factory gets the writers it must use.</summary>
    static IEnumerable<Command> Verbs(CliContext ctx) =>
    [
        Commands.Models.ModelsCommand.Create(ctx),
        Commands.Hardware.HardwareCommand.Create(ctx),
        Commands.MakeModel.MakeModelCommand.Create(ctx),
        Commands.ExportGguf.ExportGgufCommand.Create(ctx),
        Commands.Run.RunCommand.Create(ctx),
        Commands.Validate.ValidateCommand.Create(ctx),
        Commands.BenchKernels.BenchKernelsCommand.Create(ctx),
        Commands.Rtl.RtlCommand.Create(ctx),
        Commands.Analyze.AnalyzeCommand.Create(ctx),
        Commands.Compile.CompileCommand.Create(ctx),
        Commands.Sweep.SweepCommand.Create(ctx),
        Commands.Report.ReportCommand.Create(ctx),
        Commands.Simulate.SimulateCommand.Create(ctx),
        Commands.Bench.BenchCommand.Create(ctx),
    ];

    public static RootCommand BuildRoot(CliContext ctx)
    {
        var root = new RootCommand("CoDesign: compile, simulate and reason about LLM-inference hardware (Duplex, PIM, GPU)");
        foreach (var verb in Verbs(ctx)) root.Subcommands.Add(verb);
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        // `codesign VERB --version` answers like `codesign --version`, even where the verb has required arguments.
        if (args.Contains("--version")) args = ["--version"];
        return Guarded(ctx => Dispatch(args, ctx, stderr), stdout, stderr, cancellation);
    }

    /// <summary>Runs <paramref name="verb"/> under the CLI's contract (buffered stdout, the output guard, exit codes);
    /// <see cref="Run"/> passes the parsed command line, tests a body of their own.</summary>
    public static int Guarded(Func<CliContext, int> verb, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        // Results are held until the verb returns: a failure part-way prints none of them. The writers (JSON, CSV,
        // trace, tables) refuse NaN/Infinity field by field; the finished text is scanned once more for the marked
        // tokens Units writes for a non-finite value (free-text lines), not for the word "NaN" a user string may hold.
        var buffered = new StringWriter();
        var ctx = new CliContext(buffered, stderr) { Cancellation = cancellation };
        try
        {
            int code = verb(ctx);
            var text = buffered.ToString();
            FiniteCheck.Marked(text, "stdout");
            stdout.Write(text);
            stdout.Flush();
            return code;
        }
        catch (InputException e)
        {
            stderr.WriteLine($"codesign: error: {OneLine(e.Render(Setting.Flag))}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("codesign: cancelled");
            return 130;
        }
        catch (NonFiniteOutputException e)
        {
            stderr.WriteLine($"codesign: internal error: {OneLine(e.Message)} (a bug: inputs are range-checked; please report it)");
            return ExitCodes.InternalFailure;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"codesign: internal error: {OneLine(e.GetType().Name + ": " + e.Message)}");
            if (Environment.GetEnvironmentVariable("CODESIGN_DEBUG") == "1") stderr.WriteLine(e);
            return ExitCodes.InternalFailure;
        }
    }

    static int Dispatch(string[] args, CliContext ctx, TextWriter stderr)
    {
        var stdout = ctx.Out;
        var parse = BuildRoot(ctx).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Name what the user typed wrong when there is such a token ("Unrecognized command or argument 'x'"),
            // rather than a generic error listed before it ("Required command was not provided").
            var error = parse.Errors.FirstOrDefault(e => parse.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
                ?? parse.Errors[0];
            stderr.WriteLine($"codesign: error: {OneLine(error.Message)} (see 'codesign --help')");
            return ExitCodes.BadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    static string OneLine(string s) => InputText.OneLine(s);
}
