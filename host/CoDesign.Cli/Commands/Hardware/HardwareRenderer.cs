using CoDesign.Reports;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;

namespace CoDesign.Cli.Commands.Hardware;

/// <summary>
/// What <c>hardware</c> prints: the presets (<see cref="Presets"/>), one description's fields explained
/// (<see cref="Explained"/>), or one description as a hardware file (<see cref="File"/>, JSON only, so a printed
/// preset is a valid starting file).
/// </summary>
public sealed record HardwareOutput(IReadOnlyList<HardwareOutput.Preset>? Presets, IReadOnlyList<HardwareExplainer.Row>? Explained,
    Schema.V1.Hardware? File)
{
    /// <summary>A preset and each processor's reachable share of its peak on a weight stream.</summary>
    public sealed record Preset(string Name, string Description, IReadOnlyList<string> Processors,
        IReadOnlyDictionary<string, double> WeightStreamEfficiency, double CapacityBytes);
}

public sealed class HardwareRenderer : Renderer<HardwareOutput>
{
    protected override void Json(TextWriter w, HardwareOutput o)
    {
        if (o.File is { } hw) w.WriteLine(HardwareFile.ToJson(hw));
        else if (o.Explained is { } rows)
            Reports.Json.Write(w, rows.Select(r => new { field = r.Field, value = r.Value, unit = r.Unit, meaning = r.Meaning, source = r.Source }));
        else Reports.Json.Write(w, o.Presets);
    }

    protected override void Csv(TextWriter w, HardwareOutput o)
    {
        if (o.Explained is { } rows)
            Reports.Csv.Write(w, ["field", "value", "unit", "meaning", "source"], rows.Select(r => (IReadOnlyList<object?>)[r.Field, r.Value, r.Unit, r.Meaning, r.Source]));
        else
            Reports.Csv.Write(w, ["name", "processors", "capacity_bytes", "description"],
                Presets(o).Select(r => (IReadOnlyList<object?>)[r.Name, string.Join(" + ", r.Processors), r.CapacityBytes, r.Description]));
    }

    protected override void Table(TextWriter w, HardwareOutput o)
    {
        if (o.Explained is { } rows) { Explain(w, rows); return; }
        var t = new TextTable("preset", "processors", "memory", "reachable bandwidth", "description");
        foreach (var r in Presets(o))
            t.Add(r.Name, string.Join(" + ", r.Processors), Units.Bytes(r.CapacityBytes),
                string.Join(", ", r.WeightStreamEfficiency.Select(kv => $"{kv.Key} {Units.Percent(kv.Value)}")), r.Description);
        t.Write(w);
        w.WriteLine($"Reachable bandwidth: HBM3 command-timing model (docs/fidelity.md); append '{HardwarePresets.IdealSuffix}' to a preset for the ideal roofline.");
    }

    static IReadOnlyList<HardwareOutput.Preset> Presets(HardwareOutput o) =>
        o.Presets ?? throw new InvalidOperationException("a hardware file prints as JSON only");

    /// <summary>The table numbers each distinct source once, below it, to stay narrow.</summary>
    static void Explain(TextWriter w, IReadOnlyList<HardwareExplainer.Row> rows)
    {
        var sources = rows.Select(r => r.Source).Where(s => s is not "-" and not "default").Distinct().ToList();
        var t = new TextTable("field", "value", "unit", "meaning", "source");
        foreach (var r in rows)
        {
            int i = sources.IndexOf(r.Source);
            t.Add(r.Field, r.Value, r.Unit, r.Meaning, i >= 0 ? $"[{i + 1}]" : r.Source);
        }
        t.Write(w);
        w.WriteLine("sources (tags: [T] Duplex paper, [C] its simulator's constants, [D] data sheet, [I] derived, [M] measured):");
        for (int i = 0; i < sources.Count; i++) w.WriteLine($"  [{i + 1}] {sources[i]}");
        w.WriteLine("Fields, units and meanings: docs/hardware.md.");
    }
}
