using CoDesign.Sweeps.Run;

namespace CoDesign.Sweeps.Reporting;

/// <summary>
/// A group's rows arranged for plotting: the compared axis (the one the baseline picks, else "system") gives
/// the series; the other axis labels give the categories, in sweep order.
/// </summary>
public sealed class GroupView
{
    public string Name { get; }
    public IReadOnlyList<ResultRow> Rows { get; }
    public string? CompareAxis { get; }
    public IReadOnlyList<string> Categories { get; }
    public IReadOnlyList<string> SeriesNames { get; }
    public bool HasBaseline { get; }

    public GroupView(string name, IReadOnlyList<ResultRow> rows, IReadOnlyDictionary<string, ResultRow> byId)
    {
        Name = name;
        Rows = rows;
        HasBaseline = rows.Any(r => ResultTable.Normalised(r, byId) is not null);
        // Compare what the baseline compares; without one, systems, else hardware; else nothing (one series).
        CompareAxis = BaselineAxis(rows, byId)
            ?? new[] { "system", "hardware" }.FirstOrDefault(a => rows.Any(r => r.Choices.ContainsKey(a)));
        Categories = rows.Select(Category).Distinct().ToList();
        SeriesNames = rows.Select(Series).Distinct().ToList();
    }

    public string Category(ResultRow r) =>
        string.Join(" ", r.Choices.Where(c => c.Key != CompareAxis).Select(c => c.Value)) is { Length: > 0 } s ? s : r.Group;

    public string Series(ResultRow r) => CompareAxis is not null && r.Choices.TryGetValue(CompareAxis, out var v) ? v : Name;

    /// <summary>What the categories are made of, e.g. "batch, lengths".</summary>
    public string CategoryAxes => string.Join(", ", Rows.FirstOrDefault()?.Choices.Keys.Where(k => k != CompareAxis) ?? []);

    /// <summary>The axis on which rows differ from their baselines.</summary>
    static string? BaselineAxis(IReadOnlyList<ResultRow> rows, IReadOnlyDictionary<string, ResultRow> byId)
    {
        foreach (var r in rows)
            if (r.BaselineId is { } b && b != r.Id && byId.TryGetValue(b, out var base_))
                foreach (var (k, v) in r.Choices)
                    if (base_.Choices.GetValueOrDefault(k) != v) return k;
        return null;
    }

    /// <summary>For each series, the value per category (null where that point is missing or failed).</summary>
    public List<Reports.Plots.Series> Table(Func<ResultRow, double?> value)
    {
        var list = new List<Reports.Plots.Series>();
        foreach (var s in SeriesNames)
        {
            var vals = Categories.Select(c => Rows.FirstOrDefault(r => Series(r) == s && Category(r) == c) is { } r ? value(r) : null).ToList();
            list.Add(new(s, vals));
        }
        return list;
    }
}
