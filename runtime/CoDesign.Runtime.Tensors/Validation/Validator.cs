using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Validation;

public sealed record OpCheck(string Side, OpKind Op, long Calls, double MaxAbsError, double MaxRelError, double Tolerance, bool Pass);

/// <summary>
/// Per request: "match" when the greedy tokens are identical; "tie" when they first differ at a step where the
/// reference's own top-2 logit margin is within the margin tolerance (the reference cannot tell the two tokens
/// apart at the candidate's precision, so either is correct); "mismatch" otherwise. <see cref="Reason"/> says
/// why a tie was excused or a mismatch was not.
/// </summary>
public sealed record TokenCheck(int RequestId, int[] Reference, int[] Candidate, string Verdict, int FirstDifference, double ReferenceMargin, double MarginTolerance)
{
    public string Reason { get; init; } = "";
}

/// <summary>
/// The engine's reference run against <see cref="IndependentReference"/> (both float64): the largest logit
/// difference relative to the step's max|logit|, the float64 bound it must stay within, and the steps where the
/// engine chose a token the independent forward decisively does not.
/// </summary>
public sealed record EngineCheck(int Requests, int Steps, double MaxRelLogitDifference, double Bound, int TokenMismatches, bool Pass, string Reason);

public sealed record ValidationReport(string Backend, string PimBackend, Precision XpuPrecision, Precision PimPrecision, IReadOnlyList<OpCheck> Ops,
    IReadOnlyList<TokenCheck> Tokens, double LogitTolerance, bool Pass)
{
    /// <summary>The engine's own code checked against a second implementation; null when not run.</summary>
    public EngineCheck? Engine { get; init; }

    /// <summary>Operator kinds whose precision differs from their side's (<see cref="IBackend.PrecisionOf"/>), per side.</summary>
    public IReadOnlyDictionary<OpKind, Precision> XpuExceptions { get; init; } = new Dictionary<OpKind, Precision>();
    public IReadOnlyDictionary<OpKind, Precision> PimExceptions { get; init; } = new Dictionary<OpKind, Precision>();
}

/// <summary>
/// Validates a backend pair (xPU side, PIM side) against the float64 reference:
/// 1. a reference run in which every operator is also executed on the candidate with identical inputs
///    (<see cref="ComparingBackend"/>), giving per-operator errors;
/// 2. an independent run on the candidate alone, whose greedy tokens are compared with the reference's;
/// 3. the reference run's logits against <see cref="IndependentReference"/>, a second float64 decoder that shares no
///    code with the engine: 1 and 2 run the engine's embedding, positions, residuals, combine and KV writes on
///    both sides, so only 3 sees a bug there.
/// </summary>
public static class Validator
{
    /// <param name="pim">the PIM side's backend factory; null runs the PIM side on the xPU side's instance</param>
    public static ValidationReport Run(ModelWeights w, IReadOnlyList<Request> requests, Func<IBackend> xpu, Func<IBackend>? pim, EngineOptions options)
    {
        // Errors are kept per side: each side's tolerance comes from its own backend's unit roundoff.
        var xStats = new Dictionary<OpKind, OpErrorStats>();
        // Every step's logits of both runs: a tie is judged by the logit difference actually measured there.
        var refLogits = new Dictionary<(int, int), double[]>();
        var candLogits = new Dictionary<(int, int), double[]>();
        EngineOptions Observing(Dictionary<(int, int), double[]> into) => new()
        {
            MaxBatch = options.MaxBatch,
            Plan = options.Plan,
            Fault = options.Fault,
            LogitsObserver = (id, step, row) => { lock (into) into[(id, step)] = row; options.LogitsObserver?.Invoke(id, step, row); },
        };
        var pStats = new Dictionary<OpKind, OpErrorStats>();
        EngineResult reference, candidate;
        Precision ux, up;
        Dictionary<OpKind, Precision> uxOf, upOf;
        string xName, pName;
        using IBackend oracle = new ReferenceBackend(), cx = xpu();
        var cp = pim is null ? cx : pim();
        try
        {
            ux = cx.Precision; up = cp.Precision;
            // Per operator kind: a backend may keep some operands narrower (the gpu backend's FP16 KV cache).
            uxOf = Enum.GetValues<OpKind>().ToDictionary(k => k, cx.PrecisionOf);
            upOf = Enum.GetValues<OpKind>().ToDictionary(k => k, cp.PrecisionOf);
            xName = cx.Name; pName = cp.Name;
            reference = new InferenceEngine(w, new ComparingBackend(oracle, cx, xStats), new ComparingBackend(oracle, cp, pStats), Observing(refLogits)).Run(requests);
            candidate = new InferenceEngine(w, cx, cp, Observing(candLogits)).Run(requests);
        }
        finally
        {
            if (!ReferenceEquals(cp, cx)) cp.Dispose();
        }
        int maxContext = requests.Max(r => r.Prompt.Length + r.MaxNewTokens);
        IEnumerable<OpCheck> Checks(string side, Dictionary<OpKind, OpErrorStats> stats, Dictionary<OpKind, Precision> unit) => stats.Values.OrderBy(s => s.Op).Select(s =>
        {
            double tol = Tolerances.For(s.Op, w.Config, maxContext, unit[s.Op]);
            return new OpCheck(side, s.Op, s.Calls, s.MaxAbs, s.MaxRel, tol, s.MaxRel <= tol);
        });
        var ops = Checks("xpu", xStats, uxOf).Concat(Checks("pim", pStats, upOf)).ToList();
        // The operator kinds the placement put on the PIM side in either run carry the PIM side's precision.
        var pimKinds = reference.OpTimes.Concat(candidate.OpTimes).Where(o => o.Side == "pim").Select(o => o.Op).ToHashSet();
        double logitTol = Tolerances.Logits(w.Config, maxContext, op => uxOf[op], op => upOf[op], pimKinds.Contains);
        var tokens = reference.Requests.Zip(candidate.Requests, (r, c) =>
        {
            int first = FirstDifference(r, c);
            return first < 0 || !refLogits.ContainsKey((r.Id, first)) || !candLogits.ContainsKey((c.Id, first))
                ? CompareTokens(r, c, logitTol)
                : CompareTokens(r, c, logitTol, refLogits[(r.Id, first)], candLogits[(c.Id, first)]);
        }).ToList();
        var engine = CheckEngine(w, requests, reference, refLogits, maxContext);
        bool pass = ops.All(o => o.Pass) && tokens.All(t => t.Verdict != "mismatch") && engine.Pass;
        return new ValidationReport(xName, pName, ux, up, ops, tokens, logitTol, pass)
        {
            Engine = engine,
            XpuExceptions = uxOf.Where(p => p.Value != ux).ToDictionary(),
            PimExceptions = upOf.Where(p => p.Value != up).ToDictionary(),
        };
    }

    /// <summary>
    /// Teacher-forces <see cref="IndependentReference"/> on each request's prompt and reference tokens. Both sides are
    /// float64 and differ only in summation order, so the bound is the float64 logit tolerance
    /// (<see cref="Tolerances.Logits(ModelConfig, int, Precision, Precision?, Func{OpKind, bool}?)"/>); a token
    /// the engine chose counts as wrong when the independent forward prefers another by more than twice the measured
    /// difference (the same tie rule as the candidate's tokens).
    /// </summary>
    static EngineCheck CheckEngine(ModelWeights w, IReadOnlyList<Request> requests, EngineResult reference,
        Dictionary<(int, int), double[]> refLogits, int maxContext)
    {
        double bound = Tolerances.Logits(w.Config, maxContext, Precision.Float64);
        double worst = 0;
        int steps = 0, wrong = 0;
        string reason = "";
        var prompts = requests.ToDictionary(r => r.Id, r => r.Prompt);
        foreach (var r in reference.Requests)
        {
            var tokens = prompts[r.Id].Concat(r.Generated[..^1]).ToList();
            var expected = IndependentReference.Logits(w, tokens, r.Generated.Length);
            for (int s = 0; s < expected.Length; s++)
            {
                if (!refLogits.TryGetValue((r.Id, s), out var got))
                {
                    wrong++;
                    if (reason == "") reason = $"request {r.Id} step {s}: the engine reported no logits";
                    continue;
                }
                double scale = expected[s].Max(Math.Abs), delta = 0;
                for (int t = 0; t < got.Length; t++) delta = Math.Max(delta, Math.Abs(got[t] - expected[s][t]));
                double rel = scale > 0 ? delta / scale : delta;
                steps++;
                int best = 0;
                for (int t = 1; t < expected[s].Length; t++) if (expected[s][t] > expected[s][best]) best = t;
                bool chosenWrong = best != r.Generated[s] && expected[s][best] - expected[s][r.Generated[s]] > 2 * delta;
                if (chosenWrong) wrong++;
                worst = Math.Max(worst, rel);
                if (reason == "" && (rel > bound || chosenWrong))
                    reason = $"request {r.Id} step {s}: engine logits differ from the independent forward by {S(rel)} of max|logit| (bound {S(bound)})" +
                             (chosenWrong ? $", and it chose token {r.Generated[s]} where the independent forward decisively gives {best}" : "");
            }
        }
        bool pass = worst <= bound && wrong == 0;
        return new EngineCheck(reference.Requests.Count, steps, worst, bound, wrong, pass, pass ? "" : reason);
    }

    static string S(double x) => x.ToString("0.00e+0", System.Globalization.CultureInfo.InvariantCulture);

    static int FirstDifference(RequestResult r, RequestResult c)
    {
        for (int i = 0; i < r.Generated.Length; i++)
            if (i >= c.Generated.Length || r.Generated[i] != c.Generated[i]) return i;
        return -1;
    }

    /// <summary>
    /// The strict rule, used when both runs' logits at the first difference are known (the prefix before it is
    /// identical, so they score the same context): the measured difference Δ = max_t |ℓ_cand − ℓ_ref| must itself
    /// be within the logit bound (logitTol·max|logit|; a larger Δ is an error, not rounding), and the tie is
    /// excused only when the reference's top-2 margin is at most 2Δ, i.e. the candidate's measured error can
    /// swap the two tokens. A planted bug with a large Δ fails the first test; one with a small Δ cannot flip
    /// a decisive token without failing the second.
    /// </summary>
    public static TokenCheck CompareTokens(RequestResult r, RequestResult c, double logitTol, double[] referenceLogits, double[] candidateLogits)
    {
        int first = FirstDifference(r, c);
        if (first < 0) return new TokenCheck(r.Id, r.Generated, c.Generated, "match", -1, 0, 0);
        double delta = 0;
        for (int t = 0; t < referenceLogits.Length; t++) delta = Math.Max(delta, Math.Abs(candidateLogits[t] - referenceLogits[t]));
        double margin = r.Margins[first], bound = logitTol * r.MaxAbsLogits[first], tol = 2 * delta;
        static string S(double x) => x.ToString("0.00e+0", System.Globalization.CultureInfo.InvariantCulture);
        if (delta > bound)
            return new TokenCheck(r.Id, r.Generated, c.Generated, "mismatch", first, margin, tol)
            { Reason = $"step {first}: logit difference {S(delta)} exceeds the derived bound {S(bound)}" };
        bool tie = margin <= tol;
        return new TokenCheck(r.Id, r.Generated, c.Generated, tie ? "tie" : "mismatch", first, margin, tol)
        {
            Reason = tie ? $"step {first}: reference margin {S(margin)} <= 2 x measured logit difference {S(delta)} (within the bound {S(bound)})"
                : $"step {first}: reference margin {S(margin)} > 2 x measured logit difference {S(delta)}: the candidate's own error cannot explain the swap",
        };
    }

    /// <summary>The bound-only rule, for callers without both runs' logits: a tie when the reference's margin is within twice the logit bound.</summary>
    public static TokenCheck CompareTokens(RequestResult r, RequestResult c, double logitTol)
    {
        int first = FirstDifference(r, c);
        if (first < 0) return new TokenCheck(r.Id, r.Generated, c.Generated, "match", -1, 0, 0);
        // Both logits carry up to logitTol·scale error, so the reference's margin must exceed twice that to be decisive.
        double margin = r.Margins[first], tol = 2 * logitTol * r.MaxAbsLogits[first];
        return new TokenCheck(r.Id, r.Generated, c.Generated, margin <= tol ? "tie" : "mismatch", first, margin, tol)
        { Reason = $"step {first}: reference margin vs 2 x the logit bound (no measured logits)" };
    }
}
