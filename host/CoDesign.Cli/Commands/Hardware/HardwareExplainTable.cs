using CoDesign.Reports;
using CoDesign.Schema.Hardware;

namespace CoDesign.Cli.Commands.Hardware;

/// <summary>Renders explained hardware fields. The table numbers each distinct source once, below it, to stay narrow.</summary>
public static class HardwareExplainTable
{
    public static void Write(TextWriter w, IReadOnlyList<HardwareExplainer.Row> rows, OutputFormat format)
    {
        switch (format)
        {
            case OutputFormat.Json:
                Json.Write(w, rows.Select(r => new { field = r.Field, value = r.Value, unit = r.Unit, meaning = r.Meaning, source = r.Source }));
                return;
            case OutputFormat.Csv:
                Csv.Write(w, ["field", "value", "unit", "meaning", "source"], rows.Select(r => (IReadOnlyList<object?>)[r.Field, r.Value, r.Unit, r.Meaning, r.Source]));
                return;
        }
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
