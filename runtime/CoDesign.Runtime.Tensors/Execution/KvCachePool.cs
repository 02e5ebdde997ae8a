namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>Allocates a KV cache when a request joins the batch and frees it when it finishes; keeps the history.</summary>
public sealed class KvCachePool(int layers, int rowWidth)
{
    public sealed record Event(int Stage, int RequestId, bool Allocated, long Bytes, long BytesInUse);

    readonly Dictionary<int, KvCache> _live = [];
    readonly List<Event> _events = [];

    public long BytesInUse { get; private set; }
    public long PeakBytes { get; private set; }
    public int LiveCount => _live.Count;
    public IReadOnlyList<Event> Events => _events;

    public KvCache Allocate(int stage, int requestId, int capacity)
    {
        var c = new KvCache(requestId, layers, capacity, rowWidth);
        if (!_live.TryAdd(requestId, c)) throw new InvalidOperationException($"request {requestId} already holds a KV cache");
        BytesInUse += c.Bytes;
        PeakBytes = Math.Max(PeakBytes, BytesInUse);
        _events.Add(new(stage, requestId, true, c.Bytes, BytesInUse));
        return c;
    }

    public void Free(int stage, int requestId)
    {
        if (!_live.Remove(requestId, out var c)) throw new InvalidOperationException($"request {requestId} holds no KV cache");
        BytesInUse -= c.Bytes;
        _events.Add(new(stage, requestId, false, c.Bytes, BytesInUse));
    }
}
