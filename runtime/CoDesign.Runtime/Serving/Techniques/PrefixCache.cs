namespace CoDesign.Runtime.Serving.Techniques;

/// <summary>
/// KV blocks kept across requests (shared prefixes, retrieval chunks), inside the device's KV budget.
/// Entries used by a running request are pinned; unpinned ones are evicted least recently used first.
/// </summary>
public sealed class PrefixCache(long capacityTokens)
{
    sealed class Entry(long key, int tokens)
    {
        public readonly long Key = key;
        public readonly int Tokens = tokens;
        public int Pins;
        public LinkedListNode<Entry>? Node;
    }

    readonly Dictionary<long, Entry> _map = [];
    readonly LinkedList<Entry> _lru = new();   // first = most recently used

    public long CapacityTokens { get; } = capacityTokens;
    public long UsedTokens { get; private set; }
    public long Hits { get; private set; }
    public long Misses { get; private set; }
    public long Evictions { get; private set; }
    /// <summary>Inserts refused because pinned entries filled the capacity.</summary>
    public long Refused { get; private set; }
    public int Entries => _map.Count;

    /// <summary>A lookup: on a hit the entry is pinned and becomes the most recent.</summary>
    public bool TryAcquire(long key)
    {
        if (!_map.TryGetValue(key, out var e)) { Misses++; return false; }
        Hits++;
        e.Pins++;
        Touch(e);
        return true;
    }

    /// <summary>
    /// Stores KV a request has just computed, pinned by it; evicts unpinned entries until it fits. False (and
    /// nothing stored) when it cannot fit; true also when another request stored the same key first (then pinned).
    /// </summary>
    public bool TryInsert(long key, int tokens)
    {
        if (_map.TryGetValue(key, out var existing)) { existing.Pins++; Touch(existing); return true; }
        if (tokens > CapacityTokens) { Refused++; return false; }
        var node = _lru.Last;
        while (UsedTokens + tokens > CapacityTokens && node is not null)
        {
            var prev = node.Previous;
            if (node.Value.Pins == 0) Remove(node.Value);
            node = prev;
        }
        if (UsedTokens + tokens > CapacityTokens) { Refused++; return false; }
        var e = new Entry(key, tokens) { Pins = 1 };
        e.Node = _lru.AddFirst(e);
        _map[key] = e;
        UsedTokens += tokens;
        return true;
    }

    public void Release(long key)
    {
        if (_map.TryGetValue(key, out var e) && e.Pins > 0) e.Pins--;
    }

    public bool Contains(long key) => _map.ContainsKey(key);

    void Touch(Entry e)
    {
        _lru.Remove(e.Node!);
        _lru.AddFirst(e.Node!);
    }

    void Remove(Entry e)
    {
        _lru.Remove(e.Node!);
        _map.Remove(e.Key);
        UsedTokens -= e.Tokens;
        Evictions++;
    }
}
