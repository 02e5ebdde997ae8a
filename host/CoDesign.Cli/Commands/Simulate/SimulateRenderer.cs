using CoDesign.Reports;
using CoDesign.Runtime.Serving;

namespace CoDesign.Cli.Commands.Simulate;

/// <summary>What <c>simulate</c> prints: the serving metrics of one run (SimulationTable lays out table and CSV).</summary>
public sealed class SimulateRenderer : Renderer<SimulationResult>
{
    protected override void Table(TextWriter w, SimulationResult r) => SimulationTable.WriteTable(w, r);

    protected override void Csv(TextWriter w, SimulationResult r) => SimulationTable.WriteCsv(w, r);
}
