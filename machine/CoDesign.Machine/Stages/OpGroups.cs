using CoDesign.Schema.V1;

namespace CoDesign.Machine.Stages;

/// <summary>The operator groups reports break time down by.</summary>
public static class OpGroups
{
    public static readonly string[] Names = ["attention", "projection", "moe", "ffn", "communication", "lm_head", "other"];

    public static int Index(OpKind k) => k switch
    {
        OpKind.AttentionScore or OpKind.AttentionSoftmax or OpKind.AttentionContext or OpKind.Attention => 0,
        OpKind.QkvProjection or OpKind.OutputProjection => 1,
        OpKind.Expert or OpKind.SharedExpert or OpKind.Router or OpKind.PartialSumReduction => 2,
        OpKind.Ffn => 3,
        OpKind.AllReduce or OpKind.AllToAll => 4,
        OpKind.LmHead => 5,
        _ => 6,
    };

    public static string Name(OpKind k) => Names[Index(k)];
}
