using CoDesign.Compiler.Models;
using CoDesign.Runtime.Serving.Validation;
using CoDesign.Schema;
using CoDesign.Schema.Validation;
using CoDesign.Sweeps.Options;

namespace CoDesign.Sweeps.Spec;

public enum ParamType { Text, Integer, Number }

/// <summary>
/// Every parameter a sweep point may set: its JSON name, its type and the values it accepts.
/// One table, so the sweep file, the CLI axes and the error messages agree.
/// </summary>
public static class Parameters
{
    /// <param name="Max">Upper bound (docs/input-limits.md): the CLI option's or hardware field's limit, so a sweep accepts what one run does.</param>
    public sealed record Def(string Name, ParamType Type, string[]? Choices = null, bool Hardware = false, double Min = 0, double Max = double.MaxValue);

    public static readonly IReadOnlyList<Def> All =
    [
        new("model", ParamType.Text),
        new("hardware", ParamType.Text),
        new("system", ParamType.Text),
        new("devices", ParamType.Integer, Min: 1, Max: 1024),
        new("devices_multiple", ParamType.Integer, Min: 1, Max: 1024),
        new("batch", ParamType.Integer, Min: 1, Max: 1 << 16),
        new("qps", ParamType.Number, Min: double.Epsilon, Max: 1e6),
        new("requests", ParamType.Integer, Min: 1, Max: 1_000_000),
        new("input_len", ParamType.Integer, Min: 1, Max: WorkloadLimits.MaxTokens),
        new("output_len", ParamType.Integer, Min: 1, Max: WorkloadLimits.MaxTokens),
        new("length_std", ParamType.Number, Max: 10),
        new("scheduler", ParamType.Text, SystemOptionTables.Scheduler.Names),
        new("routing", ParamType.Text),
        new("co_processing", ParamType.Text, SystemOptionTables.CoProcessing.Names),
        new("moe_parallelism", ParamType.Text, SystemOptionTables.MoeParallelism.Names),
        new("placement", ParamType.Text, SystemOptionTables.Placement.Names),
        new("seed", ParamType.Integer, Max: 9e15),
        new("logic_pim_bandwidth_multiple", ParamType.Number, Hardware: true, Min: double.Epsilon, Max: 1000),
        new("logic_pim_op_b", ParamType.Number, Hardware: true, Min: double.Epsilon, Max: 1e6),
        new("logic_pim_clock_hz", ParamType.Number, Hardware: true, Min: double.Epsilon, Max: 1e11),
        new("xpu_flops_per_s", ParamType.Number, Hardware: true, Min: double.Epsilon, Max: 1e18),
        new("hbm_bandwidth_bytes_per_s", ParamType.Number, Hardware: true, Min: double.Epsilon, Max: 1e16),
        new("hbm_capacity_bytes", ParamType.Number, Hardware: true, Min: 1, Max: HardwareLimits.MaxCapacityBytes),
        new("energy_j_per_bit", ParamType.Number, Hardware: true, Max: 1e-9),
        new("ideal_efficiency", ParamType.Integer, Hardware: true, Min: 0, Max: 1),
        new("weight_type", ParamType.Text, DataTypes.Names),
        new("group_size", ParamType.Integer, Min: 0, Max: WeightQuantisation.MaxGroupSize),
        new("spec_k", ParamType.Text),
        new("spec_accept", ParamType.Number, Min: 0, Max: 1),
        new("draft_model", ParamType.Text),
        new("shared_prefix", ParamType.Integer, Min: 0, Max: WorkloadLimits.MaxTokens),
        new("prefix_groups", ParamType.Integer, Min: 1, Max: 1_000_000),
    ];

    static readonly Dictionary<string, Def> ByName = All.ToDictionary(d => d.Name);

    public static IEnumerable<string> HardwareParams => All.Where(d => d.Hardware).Select(d => d.Name);

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    public static Def Get(string name, string where) => ByName.TryGetValue(name, out var d) ? d
        : throw new InputException($"{where}: unknown parameter '{name}' (known: {string.Join(", ", All.Select(x => x.Name))})");

    /// <summary>Checks and normalises one value: text stays text (lower-cased choices), integers become long, numbers double.</summary>
    public static object Normalise(string name, object value, string where)
    {
        var d = Get(name, where);
        switch (d.Type)
        {
            case ParamType.Text:
                if (value is not string s || s.Length == 0) throw new InputException($"{where}: '{name}' must be a non-empty string, got {Show(value)}");
                if (d.Choices is not null)
                {
                    s = s.ToLowerInvariant();
                    if (!d.Choices.Contains(s)) throw new InputException($"{where}: '{name}' is '{s}', not one of {string.Join(", ", d.Choices)}");
                }
                // The simulator checks routing too, but only when a point runs: a typo would fail every point.
                if (name == "routing" && !ValidRouting(s)) throw new InputException($"{where}: routing '{s}' is not 'uniform' or 'zipf:S' with S > 0");
                return s;
            case ParamType.Integer:
                if (value is not double n || n != Math.Floor(n) || Math.Abs(n) > 9e15)
                    throw new InputException($"{where}: '{name}' must be an integer, got {Show(value)}");
                if (n < d.Min) throw new InputException($"{where}: '{name}' must be at least {d.Min}, got {Show(value)}");
                if (n > d.Max) throw new InputException($"{where}: '{name}' must be at most {d.Max}, got {Show(value)}");
                return (long)n;
            default:
                if (value is not double x || !double.IsFinite(x)) throw new InputException($"{where}: '{name}' must be a finite number, got {Show(value)}");
                if (x < d.Min) throw new InputException($"{where}: '{name}' must be {(d.Min > 0 ? "positive" : "at least 0")}, got {Show(value)}");
                if (x > d.Max) throw new InputException($"{where}: '{name}' must be at most {InputText.Number(d.Max)}, got {Show(value)}");
                return x;
        }
    }

    static bool ValidRouting(string s) =>
        s.Equals("uniform", StringComparison.OrdinalIgnoreCase)
        || (s.StartsWith("zipf:", StringComparison.OrdinalIgnoreCase)
            && double.TryParse(s[5..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
            && x > 0 && double.IsFinite(x));

    public static string Show(object v) => v switch
    {
        string s => InputText.Quote(s),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "null",
    };
}
