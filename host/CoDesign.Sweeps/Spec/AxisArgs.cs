using System.Globalization;
using CoDesign.Schema;

namespace CoDesign.Sweeps.Spec;

/// <summary>
/// The compact CLI form of a one-group sweep: <c>--axis batch=32,64 --axis hardware=h100,duplex</c>
/// (an axis with one value is a fixed setting) and <c>--baseline hardware=h100</c>.
/// </summary>
public static class AxisArgs
{
    public static SweepSpec Build(IReadOnlyList<string> axisArgs, IReadOnlyList<string> baselineArgs, bool zip)
    {
        var axes = new List<Axis>();
        var fixedSettings = new Dictionary<string, object>();
        foreach (var arg in axisArgs)
        {
            var (name, values) = Split(arg, "--axis");
            string where = $"--axis {arg}";
            var list = values.Split(',', StringSplitOptions.TrimEntries).Select(v =>
            {
                if (v.Length == 0) throw new InputException($"{where}: empty value");
                return SweepFile.ScalarValue(name, Raw(v), where);
            }).ToList();
            if (list.GroupBy(v => v.Label).FirstOrDefault(g => g.Count() > 1) is { } dup) throw new InputException($"{where}: value '{dup.Key}' appears twice");
            if (axes.Any(a => a.Name == name) || fixedSettings.ContainsKey(name)) throw new InputException($"--axis: '{name}' is given twice");
            if (list.Count == 1) fixedSettings[name] = list[0].Settings[name];
            else axes.Add(new Axis(name, list));
        }
        var baseline = new Dictionary<string, string>();
        foreach (var arg in baselineArgs)
        {
            var (name, value) = Split(arg, "--baseline");
            baseline[name] = SweepFile.Label(Parameters.Normalise(name, Raw(value), $"--baseline {arg}"));
        }
        return new SweepSpec("cli", [SweepFile.Build("cli", zip, fixedSettings, axes, baseline, "--axis")]);
    }

    /// <summary><c>--set NAME=VALUE</c>: one parameter for every point, whatever the file or study says.</summary>
    public static Dictionary<string, object> Overrides(IReadOnlyList<string> setArgs)
    {
        var d = new Dictionary<string, object>();
        foreach (var arg in setArgs)
        {
            var (name, value) = Split(arg, "--set");
            if (d.ContainsKey(name)) throw new InputException($"--set: '{name}' is given twice");
            d[name] = Parameters.Normalise(name, Raw(value.Trim()), $"--set {arg}");
        }
        return d;
    }

    static (string Name, string Values) Split(string arg, string option)
    {
        int eq = arg.IndexOf('=');
        if (eq <= 0 || eq == arg.Length - 1) throw new InputException($"{option} '{arg}' is not NAME=VALUE[,VALUE…]");
        return (arg[..eq].Trim().Replace('-', '_'), arg[(eq + 1)..]);
    }

    /// <summary>Numbers become numbers (the parameter table then checks the type); everything else stays text.</summary>
    static object Raw(string v) =>
        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : v;
}
