using System.Globalization;
using System.Text.Json;
using CoDesign.Schema;
using CoDesign.Schema.Validation;

namespace CoDesign.Sweeps.Spec;

/// <summary>
/// Reads a sweep file (JSON). Either a list of groups or one group at the top level:
/// <code>{ "name": "s", "fixed": {"model": "mixtral"}, "groups": [ { "name": "g", "mode": "cartesian",
///   "fixed": {...}, "axes": {"batch": [32, 64], "system": [{"name": "GPU", "hardware": "h100"}]},
///   "baseline": {"system": "GPU"} } ] }</code>
/// Every problem is an <see cref="InputException"/> naming the file and the JSON path.
/// </summary>
public static class SweepFile
{
    static readonly string[] TopKeys = ["name", "fixed", "groups", "axes", "mode", "baseline"];
    static readonly string[] GroupKeys = ["name", "fixed", "axes", "mode", "baseline"];

    public static SweepSpec Load(string path)
    {
        return Parse(InputFiles.ReadText(path, "sweep file", InputFiles.MaxJsonBytes), path);
    }

    public static SweepSpec Parse(string json, string origin)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InputException($"sweep file {origin} is not valid JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            string where = $"sweep file {origin}";
            JsonStrings.Check(root, where);
            if (root.ValueKind != JsonValueKind.Object) throw new InputException($"{where}: the top level must be an object");
            CheckKeys(root, TopKeys, where);
            string name = OptionalString(root, "name", where) ?? Path.GetFileNameWithoutExtension(origin);
            var common = Settings(root, "fixed", $"{where}: fixed");
            var groups = new List<SweepGroup>();
            if (root.TryGetProperty("groups", out var gs))
            {
                if (root.TryGetProperty("axes", out _)) throw new InputException($"{where}: give either 'groups' or top-level 'axes', not both");
                if (gs.ValueKind != JsonValueKind.Array || gs.GetArrayLength() == 0) throw new InputException($"{where}: 'groups' must be a non-empty array");
                int i = 0;
                foreach (var g in gs.EnumerateArray())
                {
                    string gw = $"{where}: groups[{i}]";
                    if (g.ValueKind != JsonValueKind.Object) throw new InputException($"{gw} must be an object");
                    CheckKeys(g, GroupKeys, gw);
                    groups.Add(Group(g, OptionalString(g, "name", gw) ?? $"group{i + 1}", common, gw));
                    i++;
                }
            }
            else groups.Add(Group(root, name, new Dictionary<string, object>(), where));   // its "fixed" is the group's
            var dup = groups.GroupBy(g => g.Name).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) throw new InputException($"{where}: group name '{dup.Key}' appears twice");
            return new SweepSpec(name, groups);
        }
    }

    /// <param name="inherited">The file's top-level "fixed", which the group's own "fixed" overrides.</param>
    static SweepGroup Group(JsonElement g, string name, IReadOnlyDictionary<string, object> inherited, string where)
    {
        var merged = new Dictionary<string, object>(inherited);
        foreach (var (k, v) in Settings(g, "fixed", $"{where}: fixed")) merged[k] = v;
        bool zip = (OptionalString(g, "mode", where) ?? "cartesian").ToLowerInvariant() switch
        {
            "cartesian" => false,
            "zip" or "zipped" => true,
            var m => throw new InputException($"{where}: mode '{m}' is not one of cartesian, zip"),
        };
        var axes = new List<Axis>();
        if (g.TryGetProperty("axes", out var ax))
        {
            if (ax.ValueKind != JsonValueKind.Object) throw new InputException($"{where}: 'axes' must be an object of axis name to a list of values");
            foreach (var p in ax.EnumerateObject()) axes.Add(ReadAxis(p.Name, p.Value, $"{where}: axes.{p.Name}"));
        }
        var baseline = new Dictionary<string, string>();
        if (g.TryGetProperty("baseline", out var b))
        {
            if (b.ValueKind != JsonValueKind.Object) throw new InputException($"{where}: 'baseline' must be an object of axis name to value, e.g. {{\"system\": \"GPU\"}}");
            foreach (var p in b.EnumerateObject()) baseline[p.Name] = Label(Scalar(p.Value, $"{where}: baseline.{p.Name}"));
        }
        return Build(name, zip, merged, axes, baseline, where);
    }

    /// <summary>Checks the parts fit together: axes not empty, zip lengths equal, baseline names an axis value.</summary>
    public static SweepGroup Build(string name, bool zip, IReadOnlyDictionary<string, object> fixedSettings, IReadOnlyList<Axis> axes,
        IReadOnlyDictionary<string, string> baseline, string where)
    {
        if (axes.GroupBy(a => a.Name).FirstOrDefault(a => a.Count() > 1) is { } twice) throw new InputException($"{where}: axis '{twice.Key}' appears twice");
        if (zip && axes.Select(a => a.Values.Count).Distinct().Count() > 1)
            throw new InputException($"{where}: mode zip needs axes of equal length, got {string.Join(", ", axes.Select(a => $"{a.Name} {a.Values.Count}"))}");
        foreach (var (axisName, label) in baseline)
        {
            var axis = axes.FirstOrDefault(a => a.Name == axisName)
                ?? throw new InputException($"{where}: baseline names axis '{axisName}', which is not an axis of this group ({string.Join(", ", axes.Select(a => a.Name))})");
            if (axis.Values.All(v => v.Label != label))
                throw new InputException($"{where}: baseline {axisName} = '{label}' is not one of the axis values ({string.Join(", ", axis.Values.Select(v => v.Label))})");
        }
        return new SweepGroup(name, zip, fixedSettings, axes, baseline);
    }

    static Axis ReadAxis(string name, JsonElement values, string where)
    {
        if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0) throw new InputException($"{where} must be a non-empty array of values");
        var list = new List<AxisValue>();
        int i = 0;
        foreach (var v in values.EnumerateArray())
        {
            string vw = $"{where}[{i++}]";
            if (v.ValueKind == JsonValueKind.Object)
            {
                // A compound value: several parameters at once, named by "name" (or by its settings).
                string? label = OptionalString(v, "name", vw);
                var settings = new Dictionary<string, object>();
                foreach (var p in v.EnumerateObject())
                    if (p.Name != "name") settings[p.Name] = Parameters.Normalise(p.Name, Scalar(p.Value, $"{vw}.{p.Name}"), vw);
                if (settings.Count == 0) throw new InputException($"{vw} sets no parameter");
                label ??= string.Join(" ", settings.Select(kv => $"{kv.Key}={Label(kv.Value)}"));
                list.Add(Compound(name, label, settings, vw));
            }
            else list.Add(ScalarValue(name, Scalar(v, vw), vw));
        }
        if (list.GroupBy(v => v.Label).FirstOrDefault(g => g.Count() > 1) is { } dup) throw new InputException($"{where}: value '{dup.Key}' appears twice");
        return new Axis(name, list);
    }

    /// <summary>A scalar axis value: the axis must be a parameter.</summary>
    public static AxisValue ScalarValue(string axis, object raw, string where)
    {
        if (!Parameters.IsKnown(axis))
            throw new InputException($"{where}: '{axis}' is not a parameter, so its values must be objects of parameters (known parameters: {string.Join(", ", Parameters.All.Select(d => d.Name))})");
        var v = Parameters.Normalise(axis, raw, where);
        return new AxisValue(Label(v), new Dictionary<string, object> { [axis] = v });
    }

    public static AxisValue Compound(string axis, string label, Dictionary<string, object> settings, string where)
    {
        // The "system" axis labels its points: the label becomes the system parameter, shown in reports.
        if (axis == "system")
        {
            if (settings.ContainsKey("system")) throw new InputException($"{where}: a system value names itself with 'name', not 'system'");
            settings["system"] = label;
        }
        return new AxisValue(label, settings);
    }

    static Dictionary<string, object> Settings(JsonElement obj, string key, string where)
    {
        var d = new Dictionary<string, object>();
        if (!obj.TryGetProperty(key, out var f)) return d;
        if (f.ValueKind != JsonValueKind.Object) throw new InputException($"{where} must be an object of parameter to value");
        foreach (var p in f.EnumerateObject()) d[p.Name] = Parameters.Normalise(p.Name, Scalar(p.Value, $"{where}.{p.Name}"), where);
        return d;
    }

    static object Scalar(JsonElement v, string where) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number => v.GetDouble(),
        _ => throw new InputException($"{where} must be a string or a number, got {v.ValueKind.ToString().ToLowerInvariant()}"),
    };

    static string? OptionalString(JsonElement obj, string key, string where)
    {
        if (!obj.TryGetProperty(key, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString())) throw new InputException($"{where}: '{key}' must be a non-empty string");
        return v.GetString();
    }

    static void CheckKeys(JsonElement obj, string[] allowed, string where)
    {
        foreach (var p in obj.EnumerateObject())
            if (!allowed.Contains(p.Name)) throw new InputException($"{where}: unknown key '{p.Name}' (expected {string.Join(", ", allowed)})");
    }

    public static string Label(object v) => v switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
