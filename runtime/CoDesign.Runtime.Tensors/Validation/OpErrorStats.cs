using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Schema.Ops;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Validation;

/// <summary>Worst errors of one operator kind over every call: max absolute and max normwise relative error.</summary>
public sealed class OpErrorStats(OpKind op)
{
    public OpKind Op { get; } = op;
    public long Calls { get; private set; }
    public double MaxAbs { get; private set; }
    public double MaxRel { get; private set; }

    public void Add(ReadOnlySpan<double> reference, ReadOnlySpan<double> candidate)
    {
        if (reference.Length != candidate.Length)
            throw new InvalidOperationException($"{Op.Name()}: backend returned {candidate.Length} values, reference {reference.Length}");
        double maxAbs = 0, scale = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double e = Math.Abs(candidate[i] - reference[i]);
            if (double.IsNaN(e)) e = double.PositiveInfinity;
            maxAbs = Math.Max(maxAbs, e);
            scale = Math.Max(scale, Math.Abs(reference[i]));
        }
        Calls++;
        MaxAbs = Math.Max(MaxAbs, maxAbs);
        MaxRel = Math.Max(MaxRel, scale > 0 ? maxAbs / scale : maxAbs > 0 ? double.PositiveInfinity : 0);
    }
}
