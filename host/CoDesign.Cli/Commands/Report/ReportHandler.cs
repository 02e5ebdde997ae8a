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
        // stdout names what was written, in the asked format; the report itself is the files.
        (string Kind, string Path)[] files = [("html", written.Html), ("csv", written.Csv), ("markdown", written.Markdown)];
        switch (format)
        {
            case OutputFormat.Json:
                Json.Write(ctx.Out, new { points = rows.Count, figures = written.FigureIds.Count, html = written.Html, csv = written.Csv, markdown = written.Markdown });
                break;
            case OutputFormat.Csv:
                Csv.Write(ctx.Out, ["kind", "path"], files.Select(f => (IReadOnlyList<object?>)[f.Kind, f.Path]));
                break;
            default:
                foreach (var f in files) ctx.Out.WriteLine(f.Path);
                break;
        }
        ctx.Err.WriteLine($"report: {rows.Count} points, {written.FigureIds.Count} figures -> {outDir}");
        return ExitCodes.Success;
    }
}
