using CoDesign.Reports;
using CoDesign.Sweeps.Reporting;
using CoDesign.Sweeps.Run;

namespace CoDesign.Cli.Commands.Sweep;

/// <summary>What a sweep prints when it is done: its points' results (SweepTable lays out the table).</summary>
public sealed class SweepResultsRenderer : Renderer<IReadOnlyList<ResultRow>>
{
    protected override void Table(TextWriter w, IReadOnlyList<ResultRow> rows) => SweepTable.Write(w, rows);

    protected override void Csv(TextWriter w, IReadOnlyList<ResultRow> rows) => Reports.Csv.Write(w, ResultTable.Header, ResultTable.Rows(rows));
}
