using CoDesign.Reports;
using CoDesign.Sweeps.Reporting;
using CoDesign.Sweeps.Run;

namespace CoDesign.Cli.Commands.Report;

public static class ReportHandler
{
    public static int Run(string[] results, string outDir, string? title, OutputFormat format, CliContext ctx)
    {
        var rows = ResultsFile.Merge(results);
        var written = SweepReport.Write(rows, outDir, title ?? $"CoDesign sweep report: {Path.GetFileNameWithoutExtension(results[0])}");
        new ReportRenderer().Write(ctx.Out, new ReportOutput(rows.Count, written.FigureIds.Count, written.Html, written.Csv, written.Markdown), format);
        ctx.Err.WriteLine($"report: {rows.Count} points, {written.FigureIds.Count} figures -> {outDir}");
        return ExitCodes.Success;
    }
}
