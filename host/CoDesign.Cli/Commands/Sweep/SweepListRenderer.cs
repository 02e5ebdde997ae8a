using System.Globalization;
using CoDesign.Reports;
using CoDesign.Sweeps.Spec;

namespace CoDesign.Cli.Commands.Sweep;

/// <summary>What <c>sweep --list</c> prints: the expanded points, nothing run.</summary>
public sealed class SweepListRenderer : Renderer<IReadOnlyList<SweepPoint>>
{
    protected override void Json(TextWriter w, IReadOnlyList<SweepPoint> points) =>
        Reports.Json.Write(w, points.Select(p => new
        {
            p.Index,
            p.Id,
            p.Group,
            p.Choices,
            Params = new SortedDictionary<string, object>(p.Params.ToDictionary(), StringComparer.Ordinal),
            p.BaselineId,
        }));

    protected override void Csv(TextWriter w, IReadOnlyList<SweepPoint> points) =>
        Reports.Csv.Write(w, ["index", "id", "group", "point", "baseline_id"],
            points.Select(p => (IReadOnlyList<object?>)[p.Index, p.Id, p.Group, Label(p), p.BaselineId]));

    protected override void Table(TextWriter w, IReadOnlyList<SweepPoint> points)
    {
        var t = new TextTable("index", "id", "group", "point", "model");
        t.RightAligned.Add(0);
        foreach (var p in points) t.Add(p.Index.ToString(CultureInfo.InvariantCulture), p.Id, p.Group, Label(p), p.Text("model") ?? "");
        t.Write(w);
        w.WriteLine($"{points.Count} points");
    }

    static string Label(SweepPoint p) => string.Join(" ", p.Choices.Select(c => $"{c.Key}={c.Value}"));
}
