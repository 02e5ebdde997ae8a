namespace CoDesign.Sweeps.Spec;

/// <summary>
/// One simulation to run. <see cref="Index"/> is its place in the whole sweep (the canonical order, also across
/// shards); <see cref="Id"/> is a hash of its canonical JSON, so a rerun or another shard recognises it.
/// <see cref="Choices"/> are the axis labels that picked it, in axis order; <see cref="BaselineId"/> is the
/// point it is normalised to (null without a baseline; its own id when it is the baseline).
/// </summary>
public sealed record SweepPoint(int Index, string Id, string Group, IReadOnlyDictionary<string, string> Choices,
    IReadOnlyDictionary<string, object> Params, string? BaselineId)
{
    public string? Text(string name) => Params.TryGetValue(name, out var v) ? v as string : null;
    public long? Integer(string name) => Params.TryGetValue(name, out var v) ? (long)v : null;
    public double? Number(string name) => Params.TryGetValue(name, out var v) ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : null;
}
