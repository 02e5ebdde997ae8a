using CoDesign.Schema.V1;

namespace CoDesign.Machine.Stages;

public static class AffineEval
{
    /// <summary>Σ c[f]·x[f]; a missing coefficient is zero.</summary>
    public static double Eval(Affine? a, double[] x)
    {
        if (a is null) return 0;
        var c = a.C;
        double s = 0;
        int n = Math.Min(c.Count, x.Length);
        for (int i = 0; i < n; i++) s += c[i] * x[i];
        return s;
    }

    /// <summary>The constant term (what the operator costs whatever the stage, e.g. its weights).</summary>
    public static double Constant(Affine? a) => a is { C.Count: > 0 } ? a.C[0] : 0;

    public static OpCounts Counts(OpTemplate op, double[] x) =>
        new(Eval(op.Flops, x), Eval(op.WeightBytes, x), Eval(op.ActivationBytes, x), Eval(op.KvBytes, x));

    /// <summary>Counts of one expert (or expert slice) that receives <paramref name="tokens"/> tokens.</summary>
    public static OpCounts ExpertCounts(OpTemplate op, double tokens) => tokens <= 0
        ? default
        : new(op.ExpertFlopsPerToken * tokens, op.ExpertWeightBytes, op.ExpertActivationBytesPerToken * tokens, 0);
}
