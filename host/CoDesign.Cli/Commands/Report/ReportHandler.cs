using CoDesign.Sweeps.Reporting;
using CoDesign.Sweeps.Run;

namespace CoDesign.Cli.Commands.Report;

public static class ReportHandler
{
    public static int Run(string[] results, string outDir, string? title, CliContext ctx)
    {
        var rows = ResultsFile.Merge(results);
        var written = SweepReport.Write(rows, outDir, title ?? $"CoDesign sweep report: {Path.GetFileNameWithoutExtension(results[0])}");
        ctx.Out.WriteLine(written.Html);
        ctx.Out.WriteLine(written.Csv);
        ctx.Out.WriteLine(written.Markdown);
        ctx.Err.WriteLine($"report: {rows.Count} points, {written.FigureIds.Count} figures -> {outDir}");
        return ExitCodes.Success;
    }
}
