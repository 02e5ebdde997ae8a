namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// Real prefix KV reuse: the K and V of every prompt prefilled so far, kept after its request finishes, so that a
/// later request whose prompt starts with the same tokens copies those positions instead of recomputing them (causal
/// attention makes a position's K and V depend only on the tokens up to it). At least the prompt's last token is
/// always prefilled, since its logits give the first new token. Unbounded within one run (our simplification: a run's
/// prompts are at most <c>RunLimits.MaxTotalTokens</c>); the simulator's prefix cache models capacity and LRU eviction.
/// </summary>
public sealed class PrefixStore
{
    readonly List<(int[] Tokens, KvCache Cache)> _entries = [];

    public int Entries => _entries.Count;
    public long Bytes => _entries.Sum(e => e.Cache.Bytes);

    /// <summary>The longest stored prefix of <paramref name="prompt"/> (at most its length − 1) and the cache holding it.</summary>
    public (KvCache? Source, int Length) Longest(int[] prompt)
    {
        KvCache? best = null;
        int len = 0;
        foreach (var (tokens, cache) in _entries)
        {
            int l = CommonPrefix(tokens, prompt, prompt.Length - 1);
            if (l > len) (best, len) = (cache, l);
        }
        return (best, len);
    }

    /// <summary>Keeps the prompt's K and V from a cache that has just prefilled it.</summary>
    public void Add(int requestId, int[] prompt, KvCache prefilled, int layers)
    {
        var copy = new KvCache(requestId, layers, prompt.Length, prefilled.RowWidth);
        copy.CopyPrefix(prefilled, prompt.Length);
        _entries.Add((prompt, copy));
    }

    public static int CommonPrefix(int[] a, int[] b, int max)
    {
        int n = Math.Min(max, Math.Min(a.Length, b.Length)), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }
}
