using CoDesign.Machine.Stages;
using CoDesign.Runtime.Backends;

namespace CoDesign.Runtime.Serving.Techniques;

/// <summary>
/// What the stage loop asks of speculative decoding and KV reuse. With neither configured every hook is the
/// plain behaviour (one query per decode, no cache), so the loop's results are unchanged.
/// </summary>
sealed class ServingTechniques
{
    readonly AnalyticBackend _target;
    readonly StageCost _scratch = new();
    public readonly Speculator? Spec;
    public readonly PrefixReuse? Prefix;

    /// <summary>Draft tokens each decoding request verifies in the stage being built.</summary>
    public int StageK;

    public ServingTechniques(WorkloadOptions o, AnalyticBackend target, IReadOnlyList<Request> requests, long kvCapacityTokens)
    {
        _target = target;
        if (o.Speculation is { K: > 0 } s) Spec = new Speculator(s, Workload.Rng(o.Seed, 3));
        // Prefix reuse runs when configured, or when the trace names prefixes (then with the default cache settings).
        var prefix = o.Prefix is { Enabled: true } ? o.Prefix : requests.Any(r => r.TracePrefixGroup >= 0) ? o.Prefix ?? new PrefixOptions() : null;
        if (prefix is not null) Prefix = new PrefixReuse(prefix, kvCapacityTokens, requests, Workload.Rng(o.Seed, 4));
        StageK = Spec?.MaxK ?? 0;
    }

    /// <summary>KV slots a request reserves beyond its own tokens: the k rejected drafts a verify may write.</summary>
    public static int ExtraKvTokens(WorkloadOptions o) => o.Speculation?.K ?? 0;

    public long CacheTokens => Prefix?.Cache.UsedTokens ?? 0;

    public void OnStart(Request r) => Prefix?.OnStart(r);
    public int OnPrefillDone(Request r) => Prefix?.OnPrefillDone(r) ?? 0;
    public void OnDone(Request r) => Prefix?.OnDone(r);

    public void BeginStage()
    {
        Spec?.BeginStage();
        Prefix?.BeginStage();
    }

    public void AddDecode(StageShape shape, Request r, double context)
    {
        double own = Prefix?.OwnKvTokens(r, context) ?? context;
        // Never verify past the output: the last drafts would be thrown away.
        int queries = 1 + Math.Min(StageK, Math.Max(0, r.OutputLen - r.Generated - 1));
        shape.AddDecode(context, queries, own);
        Spec?.AddDecode(context);
    }

    public void AddPrefill(StageShape shape, double chunk, double past)
    {
        shape.AddPrefill(chunk, past);
        Spec?.AddPrefill(chunk, past);
    }

    public void EndStage(StageShape shape) => Prefix?.AddSharedKv(shape);

    /// <summary>
    /// Adaptive k: builds the stage for every k (through <paramref name="build"/>), estimates draft plus verify
    /// time and keeps the k with the highest expected tokens per second. Fixed k: the configured one.
    /// </summary>
    public void ChooseK(Func<(StageShape Shape, int Decodes)> build)
    {
        if (Spec is null) return;
        StageK = Spec.MaxK;
        if (!Spec.Adaptive) return;
        double best = -1;
        int bestK = 0;
        for (int k = 0; k <= Spec.MaxK; k++)
        {
            StageK = k;
            var (shape, decodes) = build();
            if (decodes == 0) { bestK = 0; break; }
            double draft = Spec.EstimateDraft()[k];
            double verify = _target.EstimateSeconds(shape, _scratch);
            double goodput = decodes * Spec.ExpectedTokens(k) / (draft + verify);
            if (goodput > best) { best = goodput; bestK = k; }
        }
        StageK = bestK;
    }

    /// <summary>After the verify step is costed: add the draft steps.</summary>
    public void AddDraft(StageCost cost) => Spec?.AddDraft(StageK, cost);

    /// <summary>Tokens a decoding request gains this stage: 1 without speculation, else accepted drafts + 1.</summary>
    public int TokensFor(Request r)
    {
        int left = r.OutputLen - r.Generated;
        if (Spec is null) return 1;
        int k = Math.Min(StageK, Math.Max(0, left - 1));
        return Math.Min(left, Spec.DrawAccepted(k) + 1);
    }
}
