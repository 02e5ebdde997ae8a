using CoDesign.Reports;

namespace CoDesign.Cli.Commands.Report;

/// <summary>What <c>report</c> wrote; the report itself is the files, stdout names them.</summary>
public sealed record ReportOutput(int Points, int Figures, string Html, string Csv, string Markdown);

public sealed class ReportRenderer : Renderer<ReportOutput>
{
    protected override void Table(TextWriter w, ReportOutput o)
    {
        foreach (var (_, path) in Files(o)) w.WriteLine(path);
    }

    protected override void Csv(TextWriter w, ReportOutput o) =>
        Reports.Csv.Write(w, ["kind", "path"], Files(o).Select(f => (IReadOnlyList<object?>)[f.Kind, f.Path]));

    static (string Kind, string Path)[] Files(ReportOutput o) => [("html", o.Html), ("csv", o.Csv), ("markdown", o.Markdown)];
}
