using System.Text.Json;
using CoDesign.Runtime.Serving;
using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Run;

/// <summary>Where a number comes from: enough to rebuild and rerun the point.</summary>
public sealed record Provenance(string Model, string Hardware, string HardwareSource, string HardwareSha256, ulong Seed, string CodesignVersion);

/// <summary>
/// One line of a results file. <c>status</c> is "ok" with a <see cref="Result"/>, or "error" with the one-line
/// reason the point cannot run (e.g. the model does not fit) — an answer too, so it is not retried on resume.
/// </summary>
public sealed record ResultRow
{
    public required string Id { get; init; }
    public required int Index { get; init; }
    public required string Group { get; init; }
    public required string System { get; init; }
    public required Dictionary<string, string> Choices { get; init; }
    public required SortedDictionary<string, object> Params { get; init; }
    public string? BaselineId { get; init; }
    public required Provenance Provenance { get; init; }
    public required string Status { get; init; }
    public string? Error { get; init; }
    public SimulationResult? Result { get; init; }

    public bool Ok => Status == "ok" && Result is not null;

    /// <summary>The point this row answers, with parameters typed again (JSON gives numbers back as elements).</summary>
    public SweepPoint ToPoint()
    {
        var ps = new Dictionary<string, object>();
        foreach (var (k, v) in Params)
        {
            object raw = v is JsonElement e ? e.ValueKind == JsonValueKind.Number ? e.GetDouble() : e.GetString()! : v;
            ps[k] = Parameters.Normalise(k, raw is long l ? (double)l : raw, $"results row {Id}");
        }
        return new SweepPoint(Index, Id, Group, Choices, ps, BaselineId);
    }
}
