using CoDesign.Schema;
using CoDesign.Schema.V1;
using CoDesign.Schema.Validation;

namespace CoDesign.Compiler.Models;

/// <summary>Applies --group-size: weights per scale group of a quantised checkpoint (0 = one per output channel).</summary>
public static class WeightQuantisation
{
    /// <summary>
    /// Our bound (docs/input-limits.md): 2^20 weights, past every K of the models here; a group must also divide each
    /// K (checked where the formats are built), so the bound only keeps a typo from reaching that check as an overflow.
    /// </summary>
    public const int MaxGroupSize = 1 << 20;
    public static readonly Limit GroupSize = Limit.Int(0, MaxGroupSize, "weights (0: per output channel)");

    public static ModelConfig WithGroupSize(ModelConfig model, int? groupSize)
    {
        if (groupSize is null) return model;
        GroupSize.Check(groupSize.Value, Setting.Ref("group_size"), "model");
        var m = model.Clone();
        m.QuantGroupSize = (uint)groupSize.Value;
        return m;
    }
}
