namespace CoDesign.Compiler.Graph;

/// <summary>Operator names as they appear in reports, traces and tests.</summary>
public static class OpNames
{
    public const string Embedding = "embedding";
    public const string NormAttention = "norm.attention";
    public const string QkvProjection = "qkv_projection";
    public const string Rope = "rope";
    public const string ScoreDecode = "attention.score.decode";
    public const string SoftmaxDecode = "attention.softmax.decode";
    public const string ContextDecode = "attention.context.decode";
    public const string ScorePrefill = "attention.score.prefill";
    public const string SoftmaxPrefill = "attention.softmax.prefill";
    public const string ContextPrefill = "attention.context.prefill";
    public const string OutputProjection = "output_projection";
    public const string AllReduceAttention = "all_reduce.attention";
    public const string NormFfn = "norm.ffn";
    public const string Ffn = "ffn";
    public const string AllReduceFfn = "all_reduce.ffn";
    public const string Router = "router";
    public const string Dispatch = "all_to_all.dispatch";
    public const string Experts = "experts";
    public const string PartialSums = "experts.partial_sum_reduction";
    public const string SharedExpert = "shared_expert";
    public const string Combine = "all_to_all.combine";
    public const string AllReduceMoe = "all_reduce.moe";
    public const string NormFinal = "norm.final";
    public const string LmHead = "lm_head";
    public const string NormPostAttention = "norm.post_attention";
    public const string NormPostFfn = "norm.post_ffn";
    public const string MlaAbsorbQueryDecode = "attention.absorb_q.decode";
    public const string MlaAbsorbValueDecode = "attention.absorb_v.decode";
    public const string MlaUpProjectPrefill = "attention.kv_up.prefill";
}
