using System.CommandLine;

namespace CoDesign.Cli.Commands.Report;

/// <summary><c>codesign report RESULTS.jsonl --out DIR</c>: HTML report with figures, CSV and a Markdown summary.</summary>
public static class ReportCommand
{
    public static Command Create(CliContext ctx)
    {
        var results = new Argument<string[]>("results") { Description = "Results files (JSON Lines) from 'codesign sweep'; several are merged", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Directory for report.html, results.csv and summary.md", Required = true };
        var title = new Option<string?>("--title") { Description = "Report title (default: from the results file name)" };
        var format = CommonOptions.Format();
        var cmd = new Command("report", "Write an offline HTML report (throughput, energy, latency, rooflines, sensitivity, Pareto), CSV and Markdown");
        cmd.Arguments.Add(results);
        cmd.Options.Add(output);
        cmd.Options.Add(title);
        cmd.Options.Add(format);
        cmd.SetAction(p => ReportHandler.Run(p.GetValue(results)!, p.GetValue(output)!, p.GetValue(title), p.GetValue(format), ctx));
        return cmd;
    }
}
