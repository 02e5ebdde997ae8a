using System.Globalization;
using CoDesign.Schema;
using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Run;

/// <summary>
/// <c>--shard i/N</c> (1 ≤ i ≤ N): the points whose index is i-1 modulo N. Striding rather than cutting in
/// blocks spreads each group's slow points over all shards; the slice depends only on the spec, not on timing.
/// </summary>
public sealed record Shard(int I, int N)
{
    public static readonly Shard All = new(1, 1);

    public static Shard Parse(string? text)
    {
        if (text is null) return All;
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            || n < 1 || i < 1 || i > n)
            throw new InputException($"--shard '{text}' is not i/N with 1 <= i <= N (e.g. 1/4)");
        return new Shard(i, n);
    }

    public IReadOnlyList<SweepPoint> Select(IReadOnlyList<SweepPoint> points) =>
        N == 1 ? points : points.Where(p => p.Index % N == I - 1).ToList();
}
