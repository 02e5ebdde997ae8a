using CoDesign.Machine.Stages;
using MathNet.Numerics.Distributions;

namespace CoDesign.Runtime.Serving.Techniques;

/// <summary>
/// Which cached KV each request reuses. A prompt is [shared prefix of its group][retrieved chunks][own tokens];
/// groups are drawn uniformly and chunks from a Zipf-popular pool, all from the seed. A cached prefix skips its
/// prefill; a cached chunk skips all but the recomputed fraction (position and cross-chunk fix-ups). While a
/// request decodes, the prefix it shares is read once per stage for its whole group (BatchLLM's shared-prefix
/// attention); chunk KV sits at different positions per request and is read per request.
/// </summary>
sealed class PrefixReuse
{
    const long ChunkKeyBase = 1L << 50;

    readonly PrefixOptions _o;
    readonly PrefixCache _cache;
    readonly Dictionary<int, State> _state = [];
    /// <summary>The stage's shared prefixes and, for each, the fewest own tokens of a request reading it (how far a
    /// sliding window reaches back into the prefix).</summary>
    readonly Dictionary<long, double> _stagePrefixes = [];

    sealed class State
    {
        public int Group, Prefix;
        public int[] Chunks = [];
        public readonly List<long> Pinned = [];
        public readonly List<(long Key, int Tokens)> Pending = [];
        public bool SharesPrefix;
    }

    public long PromptTokens, SkippedTokens, RecomputedTokens;
    public PrefixCache Cache => _cache;

    public PrefixReuse(PrefixOptions o, long kvCapacityTokens, IReadOnlyList<Request> requests, System.Random rng)
    {
        _o = o;
        _cache = new PrefixCache((long)Math.Floor(o.CacheFraction * kvCapacityTokens));
        var zipf = o.ChunksPerPrompt > 0 && o.ChunkZipf > 0 ? new Zipf(o.ChunkZipf, o.ChunkPool, rng) : null;
        foreach (var r in requests)
        {
            // Keep at least one prompt token to prefill: the first output token needs its logits.
            int room = r.InputLen - 1;
            // A trace that names the request's prefix wins over the drawn group (its groups numbered after the drawn ones).
            // The group is drawn either way, so the draws after it are the same with or without a trace's prefixes.
            int drawn = rng.Next(o.Groups);
            var s = r.TracePrefixGroup >= 0
                ? new State { Group = o.Groups + r.TracePrefixGroup, Prefix = Math.Min(r.TracePrefixLen, room) }
                : new State { Group = drawn, Prefix = Math.Min(o.SharedPrefix, room) };
            room -= s.Prefix;
            int chunks = Math.Min(o.ChunksPerPrompt, Math.Max(0, room / o.ChunkTokens));
            s.Chunks = new int[chunks];
            for (int i = 0; i < chunks; i++) s.Chunks[i] = zipf is null ? rng.Next(o.ChunkPool) : zipf.Sample() - 1;
            _state[r.Id] = s;
        }
    }

    /// <summary>Admission: look every segment up; hits skip prefill and live in the cache, not in the request's KV.</summary>
    public void OnStart(Request r)
    {
        var s = _state[r.Id];
        int skipped = 0;
        PromptTokens += r.InputLen;
        if (s.Prefix > 0)
        {
            long key = PrefixKey(s);
            if (_cache.TryAcquire(key)) { s.Pinned.Add(key); skipped += s.Prefix; r.CachedKvTokens += s.Prefix; s.SharesPrefix = true; }
            else s.Pending.Add((key, s.Prefix));
        }
        foreach (int c in s.Chunks)
        {
            long key = ChunkKeyBase + c;
            if (_cache.TryAcquire(key))
            {
                int recompute = (int)Math.Ceiling(_o.RecomputeFraction * _o.ChunkTokens);
                s.Pinned.Add(key);
                skipped += _o.ChunkTokens - recompute;
                RecomputedTokens += recompute;
                r.CachedKvTokens += _o.ChunkTokens - recompute;
            }
            else s.Pending.Add((key, _o.ChunkTokens));
        }
        SkippedTokens += skipped;
        r.Prefilled = skipped;
    }

    /// <summary>The prompt is done: its freshly computed segments go to the cache. Returns KV tokens handed over.</summary>
    public int OnPrefillDone(Request r)
    {
        var s = _state[r.Id];
        int moved = 0;
        foreach (var (key, tokens) in s.Pending)
        {
            // Stored now, or by a request that finished the same prefix first: either way this request's own
            // copy is dropped and it reads the cached one from here on.
            if (!_cache.TryInsert(key, tokens)) continue;
            s.Pinned.Add(key);
            if (key < ChunkKeyBase) s.SharesPrefix = true;
            moved += tokens;
            r.CachedKvTokens += tokens;
        }
        s.Pending.Clear();
        return moved;
    }

    public void OnDone(Request r)
    {
        var s = _state[r.Id];
        foreach (var key in s.Pinned) _cache.Release(key);
        s.Pinned.Clear();
    }

    public void BeginStage() => _stagePrefixes.Clear();

    /// <summary>KV this decoding request reads alone: its context less a prefix its group reads once.</summary>
    public double OwnKvTokens(Request r, double context)
    {
        if (!_o.SharedAttention) return context;
        var s = _state[r.Id];
        if (!s.SharesPrefix) return context;
        double own = context - s.Prefix;
        var key = PrefixKey(s);
        _stagePrefixes[key] = _stagePrefixes.TryGetValue(key, out var least) ? Math.Min(least, own) : own;
        return own;
    }

    /// <summary>Each group's shared prefix, read once for all its decoding requests of the stage.</summary>
    public void AddSharedKv(StageShape shape)
    {
        foreach (var (key, own) in _stagePrefixes) shape.AddSharedKv(key & PrefixLengthMask, own);
    }

    /// <summary>Group and length: a prompt too short for the whole prefix shares only with prompts cut the same way.</summary>
    static long PrefixKey(State s) => (long)s.Group << 24 | (long)s.Prefix;
    const long PrefixLengthMask = (1L << 24) - 1;
}
