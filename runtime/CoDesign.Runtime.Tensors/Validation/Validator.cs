using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Weights;

namespace CoDesign.Runtime.Tensors.Validation;

public sealed record OpCheck(string Side, OpKind Op, long Calls, double MaxAbsError, double MaxRelError, double Tolerance, bool Pass);

/// <summary>
/// Per request: "match" when the greedy tokens are identical; "tie" when they first differ at a step where the
/// reference's own top-2 logit margin is within the logit tolerance (the reference cannot tell the two tokens
/// apart at that precision, so either is correct); "mismatch" otherwise.
/// </summary>
public sealed record TokenCheck(int RequestId, int[] Reference, int[] Candidate, string Verdict, int FirstDifference, double ReferenceMargin, double MarginTolerance);

public sealed record ValidationReport(string Backend, string PimBackend, Precision XpuPrecision, Precision PimPrecision, IReadOnlyList<OpCheck> Ops,
    IReadOnlyList<TokenCheck> Tokens, double LogitTolerance, bool Pass)
{
    /// <summary>Operator kinds whose precision differs from their side's (<see cref="IBackend.PrecisionOf"/>), per side.</summary>
    public IReadOnlyDictionary<OpKind, Precision> XpuExceptions { get; init; } = new Dictionary<OpKind, Precision>();
    public IReadOnlyDictionary<OpKind, Precision> PimExceptions { get; init; } = new Dictionary<OpKind, Precision>();
}

/// <summary>
/// Validates a backend pair (xPU side, PIM side) against the float64 reference:
/// 1. a reference run in which every operator is also executed on the candidate with identical inputs
///    (<see cref="ComparingBackend"/>), giving per-operator errors;
/// 2. an independent run on the candidate alone, whose greedy tokens are compared with the reference's.
/// </summary>
public static class Validator
{
    /// <param name="pim">the PIM side's backend factory; null runs the PIM side on the xPU side's instance</param>
    public static ValidationReport Run(ModelWeights w, IReadOnlyList<Request> requests, Func<IBackend> xpu, Func<IBackend>? pim, EngineOptions options)
    {
        // Errors are kept per side: each side's tolerance comes from its own backend's unit roundoff.
        var xStats = new Dictionary<OpKind, OpErrorStats>();
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
            reference = new InferenceEngine(w, new ComparingBackend(oracle, cx, xStats), new ComparingBackend(oracle, cp, pStats), options).Run(requests);
            candidate = new InferenceEngine(w, cx, cp, options).Run(requests);
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
        var tokens = reference.Requests.Zip(candidate.Requests, (r, c) => CompareTokens(r, c, logitTol)).ToList();
        bool pass = ops.All(o => o.Pass) && tokens.All(t => t.Verdict != "mismatch");
        return new ValidationReport(xName, pName, ux, up, ops, tokens, logitTol, pass)
        {
            XpuExceptions = uxOf.Where(p => p.Value != ux).ToDictionary(),
            PimExceptions = upOf.Where(p => p.Value != up).ToDictionary(),
        };
    }

    public static TokenCheck CompareTokens(RequestResult r, RequestResult c, double logitTol)
    {
        int first = -1;
        for (int i = 0; i < r.Generated.Length; i++)
            if (i >= c.Generated.Length || r.Generated[i] != c.Generated[i]) { first = i; break; }
        if (first < 0) return new TokenCheck(r.Id, r.Generated, c.Generated, "match", -1, 0, 0);
        // Both logits carry up to logitTol·scale error, so the reference's margin must exceed twice that to be decisive.
        double margin = r.Margins[first], tol = 2 * logitTol * r.MaxAbsLogits[first];
        return new TokenCheck(r.Id, r.Generated, c.Generated, margin <= tol ? "tie" : "mismatch", first, margin, tol);
    }
}
