using CoDesign.Reports;
using CoDesign.Schema;
using CoDesign.Sweeps.Reporting;
using CoDesign.Sweeps.Run;
using CoDesign.Sweeps.Spec;
using CoDesign.Sweeps.Studies;
using Spectre.Console;

namespace CoDesign.Cli.Commands.Sweep;

public static class SweepHandler
{
    public sealed record Args(string? File, string[] Axes, string[] Baseline, string[] Set, bool Zip, string? Study, string? Out, string? Shard,
        int Jobs, bool List, OutputFormat Format, bool AllowLongRun = false);

    public static int Run(Args a, CliContext ctx, CancellationToken ct) => Run(a, ctx, ServingPointRunner.Instance, ct);

    public static int Run(Args a, CliContext ctx, IPointRunner runner, CancellationToken ct)
    {
        var spec = Spec(a);
        var shard = Sweeps.Run.Shard.Parse(a.Shard);
        if (a.Jobs < 1) throw new InputException($"--jobs must be at least 1, got {a.Jobs}");
        var points = shard.Select(SweepExpander.Expand(spec, AxisArgs.Overrides(a.Set)));
        if (a.List) { new SweepListRenderer().Write(ctx.Out, points, a.Format); return ExitCodes.Success; }
        SweepLimits.CheckWork(spec.Name, points, a.AllowLongRun);

        string outPath = a.Out ?? spec.Name + (shard.N > 1 ? $".shard{shard.I}of{shard.N}" : "") + ".jsonl";
        SweepOutcome outcome;
        if (Interactive(ctx))
        {
            outcome = null!;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(pc =>
                {
                    var task = pc.AddTask($"{spec.Name}: 0/{points.Count}", maxValue: Math.Max(1, points.Count));
                    // Spectre's ProgressTask is thread-safe; workers report as they finish.
                    outcome = new SweepRunner(runner)
                    {
                        Parallelism = a.Jobs,
                        AllowLongRun = a.AllowLongRun,
                        Progress = (done, total) => { task.Value = done; task.Description = $"{spec.Name}: {done}/{total}"; },
                    }.Run(points, outPath, ct);
                });
        }
        else
        {
            var log = new Progress.ProgressLog(ctx.Err, $"sweep {spec.Name}", points.Count);
            outcome = new SweepRunner(runner) { Parallelism = a.Jobs, AllowLongRun = a.AllowLongRun, Progress = (done, _) => log.Report(done) }.Run(points, outPath, ct);
        }

        ctx.Err.WriteLine($"sweep {spec.Name}{(shard.N > 1 ? $" shard {shard.I}/{shard.N}" : "")}: {outcome.Total} points, " +
                          $"{outcome.AlreadyDone} already done, {outcome.Ran} run ({outcome.Errors} could not run) in {Units.Seconds(outcome.Elapsed.TotalSeconds)} -> {outPath}");
        foreach (var f in outcome.FailureMessages.Take(5)) ctx.Err.WriteLine($"codesign: internal error: {f}");

        var mine = points.Select(p => p.Id).ToHashSet();
        var rows = ResultsFile.Canonical(ResultsFile.Load(outPath).Rows).Where(r => mine.Contains(r.Id)).ToList();
        new SweepResultsRenderer().Write(ctx.Out, rows, a.Format);
        return outcome.InternalFailures > 0 ? ExitCodes.InternalFailure : ExitCodes.Success;
    }

    public static int Merge(string output, string[] inputs, CliContext ctx)
    {
        var rows = ResultsFile.Merge(inputs);
        ResultsFile.WriteAll(output, rows);
        ctx.Err.WriteLine($"merged {inputs.Length} files: {rows.Count} points -> {output}");
        return ExitCodes.Success;
    }

    static SweepSpec Spec(Args a)
    {
        int sources = (a.File is null ? 0 : 1) + (a.Study is null ? 0 : 1) + (a.Axes.Length > 0 ? 1 : 0);
        if (sources != 1) throw new InputException("give exactly one of: a sweep file, --study NAME, or --axis NAME=VALUES (see 'codesign sweep --help')");
        if (a.Baseline.Length > 0 && a.Axes.Length == 0) throw new InputException("--baseline goes with --axis; a sweep file sets 'baseline' per group");
        if (a.Zip && a.Axes.Length == 0) throw new InputException("--zip goes with --axis; a sweep file sets \"mode\": \"zip\" per group");
        if (a.Study is not null) return DuplexPaperStudy.Get(a.Study);
        if (a.File is not null) return SweepFile.Load(a.File);
        return AxisArgs.Build(a.Axes, a.Baseline, a.Zip);
    }

    /// <summary>A live progress bar only for a person at a terminal: never in pipes, CI logs or tests.</summary>
    static bool Interactive(CliContext ctx) =>
        ReferenceEquals(ctx.Err, Console.Error) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;
}
