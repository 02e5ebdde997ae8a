using System.Diagnostics;
using CoDesign.Machine.Stages;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;
using CoDesign.Schema.Ops;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// Executes a model on real tokens: continuous batching at stage level (waiting requests join as soon as a slot
/// frees; a joining request's whole prompt is prefilled in its first stage, a "mixed" stage), a KV cache per
/// request allocated on admission and freed on completion, greedy decoding, and the plan's placement: each
/// stage, every projection, attention phase, FFN and the LM head goes to the backend of the processor the
/// compiled Program places it on for that stage's shape (<see cref="DuplexPlan.Place"/>, the machine model's
/// decision layer, docs/reference/duplex-spec.md §3), routed experts as <see cref="DuplexPlan.ExpertsOnPim"/> says, and norms,
/// RoPE and the router on the xPU backend. With co-processing the two sides run concurrently.
/// </summary>
public sealed class InferenceEngine
{
    readonly ModelWeights _w;
    readonly TimedBackend _xpu, _pim;
    readonly EngineOptions _o;
    readonly RopeFrequencies _rope;

    public InferenceEngine(ModelWeights weights, IBackend xpu, IBackend pim, EngineOptions options)
    {
        if (options.MaxBatch < 1) throw new InputException($"{Setting.Ref("max_batch")} must be at least 1");
        if (options.Plan.Program is { } program && program.Model.NumLayers != weights.Layers.Length)
            throw new InputException($"the program was compiled for {program.Model.NumLayers} layers but the model has {weights.Layers.Length}");
        _w = weights; _o = options;
        _rope = RopeFrequencies.Of(weights.Config);
        // A backend that runs the compiler's PIM instruction streams takes them from the Program.
        if (options.Plan.PimKernels is { } kernels)
            foreach (var b in new[] { xpu, pim }.Distinct(ReferenceEqualityComparer.Instance).OfType<IPimKernelBackend>()) b.UsePimKernels(kernels);
        _xpu = new TimedBackend(xpu);
        _pim = new TimedBackend(pim);
    }

    sealed class Sequence(Request r, KvCache cache, int admitted)
    {
        public Request Request { get; } = r;
        public KvCache Cache { get; } = cache;
        public int Admitted { get; } = admitted;
        public List<int> Generated { get; } = [];
        public List<double> Margins { get; } = [];
        public List<double> Scales { get; } = [];
        /// <summary>Set once the prompt has been prefilled (the cache may start with a reused prefix before that).</summary>
        public bool Prefilled { get; set; }
        public int[] NextInput => Prefilled ? [Generated[^1]] : Request.Prompt[Cache.Length..];
    }

    /// <summary>Rows of one sequence inside the stage's token batch.</summary>
    readonly record struct Segment(KvCache Cache, int Offset, int Rows, bool Prefill, bool AllRows);

    /// <summary>
    /// One sequence's input to a stage: its cache, the tokens to append after what the cache holds, whether they are a
    /// prefill, and whether the logits of every row are wanted (a speculative verify step) or only the last row's.
    /// </summary>
    internal readonly record struct Work(KvCache Cache, int[] Tokens, bool Prefill, bool AllRows);

    internal int Vocab => _w.Vocab;
    internal int Layers => _w.Layers.Length;
    internal int KvRowWidth => _w.KvHeads * _w.HeadDim;
    internal double XpuSeconds => _xpu.TotalSeconds;
    internal double PimSeconds => _pim.TotalSeconds;

    /// <summary>One stage over explicit inputs (speculative decoding, prefix reuse): the logits of the rows asked for, in order.</summary>
    internal double[] Step(IReadOnlyList<Work> work) => Forward(work, new StageCounters(), out _);

    public EngineResult Run(IReadOnlyList<Request> requests)
    {
        foreach (var r in requests) CheckRequest(r);
        var pool = new KvCachePool(_w.Layers.Length, _w.KvHeads * _w.HeadDim);
        // In arrival order (stable: equal arrivals keep the caller's order).
        var waiting = new Queue<Request>(requests.OrderBy(r => r.ArrivalStage));
        var running = new List<Sequence>();
        var done = new List<RequestResult>();
        var stages = new List<StageRecord>();
        var prefixes = _o.PrefixReuse ? new PrefixStore() : null;
        long reused = 0;
        var total = Stopwatch.StartNew();
        for (int stage = 0; waiting.Count > 0 || running.Count > 0; stage++)
        {
            _o.Cancellation.ThrowIfCancellationRequested();   // Ctrl-C between stages
            // Nothing running: the engine idles until the next arrival (no empty stages are recorded).
            if (running.Count == 0 && waiting.Peek().ArrivalStage > stage) stage = waiting.Peek().ArrivalStage;
            var joining = new List<int[]>();
            while (running.Count < _o.MaxBatch && waiting.Count > 0 && waiting.Peek().ArrivalStage <= stage)
            {
                var r = waiting.Peek();
                var (source, len) = prefixes?.Longest(r.Prompt) ?? (null, 0);
                // A prefix shared with a prompt prefilled in this very stage is not computed yet: the request waits one
                // stage (FIFO, so the rest wait too) and then reuses it.
                if (prefixes is not null && joining.Any(p => PrefixStore.CommonPrefix(p, r.Prompt, r.Prompt.Length - 1) > len)) break;
                waiting.Dequeue();
                var cache = pool.Allocate(stage, r.Id, r.Prompt.Length + r.MaxNewTokens);
                if (source is not null) { cache.CopyPrefix(source, len); reused += len; }
                running.Add(new Sequence(r, cache, stage));
                joining.Add(r.Prompt);
            }
            var sw = Stopwatch.StartNew();
            double x0 = _xpu.TotalSeconds, p0 = _pim.TotalSeconds;
            _xpu.TakeIntervals(); _pim.TakeIntervals();
            var counters = new StageCounters();
            var logits = Forward([.. running.Select(s => new Work(s.Cache, s.NextInput, !s.Prefilled, false))], counters, out var segments);
            foreach (var s in running.Where(s => !s.Prefilled))
            {
                s.Prefilled = true;
                prefixes?.Add(s.Request.Id, s.Request.Prompt, s.Cache, _w.Layers.Length);
            }
            for (int i = 0; i < running.Count; i++)
            {
                var s = running[i];
                var (token, margin, scale) = Greedy(logits, i);
                s.Generated.Add(token); s.Margins.Add(margin); s.Scales.Add(scale);
                _o.LogitsObserver?.Invoke(s.Request.Id, s.Generated.Count - 1, logits.AsSpan(i * _w.Vocab, _w.Vocab).ToArray());
            }
            stages.Add(new StageRecord(stage, StageKinds.Of(segments.Where(g => g.Prefill).Sum(g => g.Rows), segments.Count(g => !g.Prefill)).Name(), running.Count,
                segments.Where(g => g.Prefill).Sum(g => g.Rows), segments.Count(g => !g.Prefill),
                sw.Elapsed.TotalSeconds, _xpu.TotalSeconds - x0, _pim.TotalSeconds - p0,
                counters.ExpertsOnXpu, counters.ExpertsOnPim, counters.DecodeAttentionOnPim,
                [.. counters.OnPim.Order(StringComparer.Ordinal)], pool.BytesInUse,
                BusyOverlap.Of(_xpu.TakeIntervals(), _pim.TakeIntervals()) / (double)Stopwatch.Frequency));
            foreach (var s in running.Where(s => s.Generated.Count >= s.Request.MaxNewTokens).ToList())
            {
                pool.Free(stage, s.Request.Id);
                running.Remove(s);
                done.Add(new RequestResult(s.Request.Id, s.Request.Prompt.Length, [.. s.Generated], [.. s.Margins], [.. s.Scales], s.Admitted, stage));
            }
        }
        var ops = new List<OpTime>();
        foreach (var (side, b) in new[] { ("xpu", _xpu), ("pim", _pim) })
            foreach (var k in Enum.GetValues<OpKind>())
                if (b.Calls(k) > 0) ops.Add(new OpTime(side, k, b.Calls(k), b.Seconds(k)));
        return new EngineResult([.. done.OrderBy(d => d.Id)], stages, ops, pool.Events, pool.PeakBytes, pool.BytesInUse, total.Elapsed.TotalSeconds)
        { PrefixTokensReused = reused };
    }

    void CheckRequest(Request r)
    {
        if (r.Prompt.Length == 0) throw new InputException($"request {r.Id}: empty prompt");
        if (r.MaxNewTokens < 1) throw new InputException($"request {r.Id}: max new tokens must be at least 1");
        if (r.ArrivalStage < 0) throw new InputException($"request {r.Id}: arrival stage must not be negative, got {r.ArrivalStage}");
        foreach (var t in r.Prompt)
            if (t < 0 || t >= _w.Vocab) throw new InputException($"request {r.Id}: token id {t} is outside the vocabulary [0, {_w.Vocab})");
    }

    /// <summary>Argmax (lowest id on ties), its margin over the runner-up, and the logits' max magnitude.</summary>
    (int Token, double Margin, double Scale) Greedy(double[] logits, int row)
    {
        int v = _w.Vocab, best = 0;
        var span = logits.AsSpan(row * v, v);
        double second = double.NegativeInfinity, scale = 0;
        for (int i = 1; i < v; i++) if (span[i] > span[best]) best = i;
        for (int i = 0; i < v; i++)
        {
            if (i != best) second = Math.Max(second, span[i]);
            scale = Math.Max(scale, Math.Abs(span[i]));
        }
        return (best, span[best] - second, scale);
    }

    sealed class StageCounters
    {
        public int ExpertsOnXpu, ExpertsOnPim, DecodeAttentionOnPim;
        /// <summary>Names of the operators that ran on the PIM side in this stage (written from one thread at a time).</summary>
        public readonly HashSet<string> OnPim = [];
    }

    /// <summary>Runs one stage over every running sequence; returns the LM-head logits of each sequence's last row.</summary>
    double[] Forward(IReadOnlyList<Work> seqs, StageCounters counters, out List<Segment> segments)
    {
        var c = _w.Config;
        int h = _w.Hidden, d = _w.HeadDim, hq = _w.Heads, hkv = _w.KvHeads;
        segments = [];
        var positions = new List<int>();
        var tokens = new List<int>();
        foreach (var s in seqs)
        {
            var input = s.Tokens;
            segments.Add(new Segment(s.Cache, tokens.Count, input.Length, s.Prefill, s.AllRows));
            int shift = _o.Fault == EngineFault.DecodePositionOffByOne && !s.Prefill ? 1 : 0;
            for (int i = 0; i < input.Length; i++) { tokens.Add(input[i]); positions.Add(s.Cache.Length + i + shift); }
        }
        int rows = tokens.Count;
        var pos = positions.ToArray();
        var x = new double[rows * h];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < h; i++) x[r * h + i] = _w.Embedding.Values[(long)tokens[r] * h + i];

        bool decodeOnly = segments.All(g => !g.Prefill);
        // The stage as the Program's operator counts see it: a decoding request reads its cache plus the new
        // token; a joining request prefills its prompt after what its cache holds (nothing yet).
        var shape = new StageShape();
        foreach (var g in segments)
            if (g.Prefill || g.Rows > 1) shape.AddPrefill(g.Rows, g.Cache.Length);   // a verify step: k+1 query rows after the cache
            else shape.AddDecode(g.Cache.Length + 1);
        var place = _o.Plan.Place(shape, _w.Layers.Length);
        _o.Decisions?.Stage(shape, place);
        for (int l = 0; l < _w.Layers.Length; l++)
        {
            var L = _w.Layers[l];
            var a = _xpu.RmsNorm(x, rows, L.InputNorm, c.NormEps);
            var qkv = On(place, l, OpKind.QkvProjection, counters);
            var q = AddBias(qkv.Linear(OpKind.QkvProjection, a, rows, L.Q), L.QBias, rows);
            var k = AddBias(qkv.Linear(OpKind.QkvProjection, a, rows, L.K), L.KBias, rows);
            var v = AddBias(qkv.Linear(OpKind.QkvProjection, a, rows, L.V), L.VBias, rows);
            if (L.QNorm is { } qn) q = _xpu.RmsNorm(q, q.Length / qn.Cols, qn, c.NormEps);
            if (L.KNorm is { } kn) k = _xpu.RmsNorm(k, k.Length / kn.Cols, kn, c.NormEps);
            q = _xpu.Rope(q, rows, hq, d, pos, _rope);
            k = _xpu.Rope(k, rows, hkv, d, pos, _rope);
            foreach (var g in segments) g.Cache.Write(l, k, v, g.Offset, g.Rows);
            var attn = Attention(l, q, segments, place, counters);
            Accumulate(x, On(place, l, OpKind.OutputProjection, counters).Linear(OpKind.OutputProjection, attn, rows, L.O));
            var b = _xpu.RmsNorm(x, rows, L.PostNorm, c.NormEps);
            if (L.IsMoe) Accumulate(x, Moe(l, L, b, rows, decodeOnly, place, counters));
            else Accumulate(x, On(place, l, OpKind.Ffn, counters).GatedFfn(OpKind.Ffn, b, rows, L.Dense!));
        }
        foreach (var g in segments) g.Cache.Advance(g.Rows);

        var picked = new List<int>();
        foreach (var g in segments)
            for (int r = g.AllRows ? 0 : g.Rows - 1; r < g.Rows; r++) picked.Add(g.Offset + r);
        var last = new double[picked.Count * h];
        for (int i = 0; i < picked.Count; i++) Array.Copy(x, picked[i] * h, last, i * h, h);
        var normed = _xpu.RmsNorm(last, picked.Count, _w.FinalNorm, c.NormEps);
        return On(place, 0, OpKind.LmHead, counters).Linear(OpKind.LmHead, normed, picked.Count, _w.LmHead);
    }

    /// <summary>The backend of the processor <paramref name="op"/> of layer <paramref name="layer"/> is placed on this stage.</summary>
    IBackend On(StagePlacement place, int layer, OpKind op, StageCounters counters)
    {
        if (!place.OnPim(layer, op)) return _xpu;
        counters.OnPim.Add(op.Name());
        return _pim;
    }

    /// <summary>
    /// Each phase's attention on the side the stage's placement names (Duplex §3: prefill on the xPU, decode on
    /// PIM); with attention co-processing the xPU's and the PIM's sequences run concurrently, otherwise one
    /// after the other.
    /// </summary>
    double[] Attention(int layer, double[] q, List<Segment> segments, StagePlacement place, StageCounters counters)
    {
        int d = _w.HeadDim, hq = _w.Heads, qw = hq * d;
        var y = new double[q.Length];
        void RunOn(IBackend be, Segment g)
        {
            var qs = new double[g.Rows * qw];
            Array.Copy(q, g.Offset * qw, qs, 0, qs.Length);
            int first = g.Cache.Length;
            var o = be.Attention(new AttentionInput(qs, g.Rows, g.Cache.Keys(layer), g.Cache.Values(layer), first + g.Rows, hq, _w.KvHeads, d, first));
            Array.Copy(o, 0, y, g.Offset * qw, o.Length);
        }
        bool prefillOnPim = place.OnPim(layer, OpKind.Attention, OpPhase.Prefill), decodeOnPim = place.OnPim(layer, OpKind.Attention, OpPhase.Decode);
        bool OnPim(Segment g) => g.Prefill ? prefillOnPim : decodeOnPim;
        var xpuSide = segments.Where(g => !OnPim(g)).ToList();
        var pimSide = segments.Where(OnPim).ToList();
        bool overlap = _o.Plan.Decisions.AttentionOverlaps(segments.Any(g => !g.Prefill), segments.Any(g => g.Prefill), decodeOnPim, prefillOnPim);
        if (pimSide.Any(g => g.Prefill)) counters.OnPim.Add(OpKind.Attention.Name(OpPhase.Prefill));
        if (pimSide.Any(g => !g.Prefill)) counters.OnPim.Add(OpKind.Attention.Name(OpPhase.Decode));
        counters.DecodeAttentionOnPim += pimSide.Count(g => !g.Prefill);
        RunSides(overlap, () => { foreach (var g in xpuSide) RunOn(_xpu, g); }, () => { foreach (var g in pimSide) RunOn(_pim, g); });
        return y;
    }

    /// <summary>Runs the xPU and PIM work concurrently under co-processing, else sequentially (one processor at a time).</summary>
    static void RunSides(bool concurrent, Action xpuWork, Action pimWork)
    {
        if (!concurrent) { xpuWork(); pimWork(); return; }
        var pimTask = Task.Run(pimWork);
        xpuWork();
        pimTask.GetAwaiter().GetResult();
    }

    double[] Moe(int layer, LayerWeights L, double[] b, int rows, bool decodeOnly, StagePlacement place, StageCounters counters)
    {
        int h = _w.Hidden, k = _w.TopK, e = L.Experts.Length;
        var route = _xpu.Route(b, rows, L.Router!, k, RouterMath.NormTopK(_w.Config));
        var members = new List<int>[e];
        for (int i = 0; i < e; i++) members[i] = [];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < k; j++) members[route.Experts[r * k + j]].Add(r);
        var counts = members.Select(m => m.Count).ToArray();
        var onPim = _o.Plan.ExpertsOnPim(counts, decodeOnly);
        _o.Decisions?.Experts(layer, counts, onPim);

        var outputs = new double[e][];
        void RunExperts(IBackend be, bool pimSide)
        {
            for (int i = 0; i < e; i++)
            {
                if (counts[i] == 0 || onPim[i] != pimSide) continue;
                var xe = new double[counts[i] * h];
                for (int t = 0; t < counts[i]; t++) Array.Copy(b, members[i][t] * h, xe, t * h, h);
                outputs[i] = be.GatedFfn(OpKind.Expert, xe, counts[i], L.Experts[i]);
            }
        }
        RunSides(_o.Plan.CoExperts, () => RunExperts(_xpu, false), () => RunExperts(_pim, true));
        counters.ExpertsOnPim += Enumerable.Range(0, e).Count(i => counts[i] > 0 && onPim[i]);
        counters.ExpertsOnXpu += Enumerable.Range(0, e).Count(i => counts[i] > 0 && !onPim[i]);
        if (Enumerable.Range(0, e).Any(i => counts[i] > 0 && onPim[i])) counters.OnPim.Add("experts");

        // Combine by routing weight in each token's routing order, whatever processor ran the expert, so that
        // placement cannot change the summation order.
        var y = new double[rows * h];
        var cursor = new int[e];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < k; j++)
            {
                int ex = route.Experts[r * k + j];
                double wgt = route.Weights[r * k + (_o.Fault == EngineFault.ExpertWeightsReversed ? k - 1 - j : j)];
                int t = members[ex].IndexOf(r, cursor[ex]);
                cursor[ex] = t;
                var o = outputs[ex];
                for (int i = 0; i < h; i++) y[r * h + i] += wgt * o[t * h + i];
            }
        if (L.SharedExpert is { } shared)
        {
            var s = On(place, layer, OpKind.SharedExpert, counters).GatedFfn(OpKind.SharedExpert, b, rows, shared);
            var gate = L.SharedExpertGate is { } g ? _xpu.Linear(OpKind.Router, b, rows, g) : null;
            for (int r = 0; r < rows; r++)
            {
                double gw = gate is null ? 1 : 1 / (1 + Math.Exp(-gate[r]));
                for (int i = 0; i < h; i++) y[r * h + i] += gw * s[r * h + i];
            }
        }
        return y;
    }

    static void Accumulate(double[] x, double[] delta)
    {
        for (int i = 0; i < x.Length; i++) x[i] += delta[i];
    }

    /// <summary>Q/K/V bias (Qwen-style checkpoints), added on the host in float64.</summary>
    static double[] AddBias(double[] y, HostTensor? bias, int rows)
    {
        if (bias is null) return y;
        int n = bias.Cols;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < n; i++) y[r * n + i] += bias.Values[i];
        return y;
    }
}
