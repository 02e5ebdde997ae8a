using CoDesign.Schema;

namespace CoDesign.Sweeps.Spec;

/// <summary>Turns a spec into its points, in canonical order: groups in file order; in a group the first axis varies slowest.</summary>
public static class SweepExpander
{
    /// <param name="overrides">Parameters set on every point after its axes (<c>--set</c>), e.g. another seed for a whole study.</param>
    public static IReadOnlyList<SweepPoint> Expand(SweepSpec spec, IReadOnlyDictionary<string, object>? overrides = null)
    {
        SweepLimits.Check(spec);
        var points = new List<SweepPoint>();
        var seen = new Dictionary<string, int>();
        foreach (var g in spec.Groups)
        {
            var combos = Combos(g).ToList();
            var byChoices = new Dictionary<string, string>();
            var groupPoints = new List<(Dictionary<string, string> Choices, Dictionary<string, object> Params, string Id)>();
            foreach (var combo in combos)
            {
                var choices = new Dictionary<string, string>();
                var ps = new Dictionary<string, object>(g.Fixed);
                var setBy = new Dictionary<string, string>();
                for (int a = 0; a < g.Axes.Count; a++)
                {
                    var axis = g.Axes[a];
                    var value = axis.Values[combo[a]];
                    choices[axis.Name] = value.Label;
                    foreach (var (k, v) in value.Settings)
                    {
                        // Axes override fixed settings, but two axes setting one parameter is ambiguous.
                        if (setBy.TryGetValue(k, out var other))
                            throw new InputException($"group '{g.Name}': axes '{other}' and '{axis.Name}' both set '{k}'");
                        setBy[k] = axis.Name;
                        ps[k] = v;
                    }
                }
                if (overrides is not null)
                    foreach (var (k, v) in overrides) ps[k] = v;
                if (!ps.ContainsKey("model"))
                    throw new InputException($"group '{g.Name}': point {string.Join(", ", choices.Select(c => $"{c.Key}={c.Value}"))} sets no model (add \"model\" to fixed or an axis)");
                var id = Canonical.Id(Canonical.Json(g.Name, ps));
                if (seen.TryGetValue(id, out int prev))
                    throw new InputException($"group '{g.Name}': two points have identical parameters (the first is point {prev}); remove the duplicate axis value");
                seen[id] = points.Count + groupPoints.Count;
                byChoices[Key(choices)] = id;
                groupPoints.Add((choices, ps, id));
            }
            foreach (var (choices, ps, id) in groupPoints)
            {
                string? baseline = null;
                if (g.Baseline.Count > 0)
                {
                    var b = new Dictionary<string, string>(choices);
                    foreach (var (axis, label) in g.Baseline) b[axis] = label;
                    baseline = byChoices.GetValueOrDefault(Key(b));   // zip mode may lack the baseline combination
                }
                points.Add(new SweepPoint(points.Count, id, g.Name, choices, ps, baseline));
            }
        }
        return points;
    }

    static string Key(Dictionary<string, string> choices) => string.Join("\u0001", choices.Select(c => c.Key + "\u0002" + c.Value));

    static IEnumerable<int[]> Combos(SweepGroup g)
    {
        if (g.Axes.Count == 0) { yield return []; yield break; }
        if (g.Zip)
        {
            for (int i = 0; i < g.Axes[0].Values.Count; i++) yield return g.Axes.Select(_ => i).ToArray();
            yield break;
        }
        var idx = new int[g.Axes.Count];
        while (true)
        {
            yield return (int[])idx.Clone();
            int a = g.Axes.Count - 1;
            while (a >= 0 && ++idx[a] == g.Axes[a].Values.Count) idx[a--] = 0;
            if (a < 0) yield break;
        }
    }
}
