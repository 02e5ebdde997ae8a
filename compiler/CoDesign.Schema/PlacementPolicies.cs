using CoDesign.Schema.V1;

namespace CoDesign.Schema;

/// <summary>The one place placement policies get their command-line names (compile, analyze, simulate, run, sweep).</summary>
public static class PlacementPolicies
{
    public static readonly string[] Names = ["min-time", "paper"];

    public static string Name(this PlacementPolicy policy) => policy switch
    {
        PlacementPolicy.MinTime => "min-time",
        PlacementPolicy.Paper => "paper",
        _ => policy.ToString(),
    };

    /// <summary>The policy named <paramref name="name"/>; <paramref name="what"/> names the option in the error.</summary>
    public static PlacementPolicy Parse(string name, string what = "--placement") => name.ToLowerInvariant() switch
    {
        "min-time" => PlacementPolicy.MinTime,
        "paper" => PlacementPolicy.Paper,
        _ => throw new InputException($"{what}: '{name}' is not one of {string.Join(", ", Names)}"),
    };
}
