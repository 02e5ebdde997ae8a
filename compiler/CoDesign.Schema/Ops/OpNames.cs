// SPDX-License-Identifier: MIT
// The one operator vocabulary's names (issue 11): the compiler's graph, the analytic backend, the tensor engine,
// the validation report and every table print operators by these names.
using CoDesign.Schema.V1;

namespace CoDesign.Schema.Ops;

public static class OpNames
{
    /// <summary>The proto enum's name in snake case, without its prefix: <c>OP_KIND_QKV_PROJECTION</c> is "qkv_projection".</summary>
    public static string Name(this OpKind kind) => kind switch
    {
        OpKind.Embedding => "embedding",
        OpKind.Norm => "norm",
        OpKind.QkvProjection => "qkv_projection",
        OpKind.Rope => "rope",
        OpKind.AttentionScore => "attention_score",
        OpKind.AttentionSoftmax => "attention_softmax",
        OpKind.AttentionContext => "attention_context",
        OpKind.Attention => "attention",
        OpKind.OutputProjection => "output_projection",
        OpKind.Router => "router",
        OpKind.Expert => "expert",
        OpKind.SharedExpert => "shared_expert",
        OpKind.Ffn => "ffn",
        OpKind.LmHead => "lm_head",
        OpKind.AllReduce => "all_reduce",
        OpKind.AllToAll => "all_to_all",
        OpKind.PartialSumReduction => "partial_sum_reduction",
        _ => "unspecified",
    };

    /// <summary>An operator of one phase: "attention.decode"; a phase-less operator is named by its kind alone.</summary>
    public static string Name(this OpKind kind, OpPhase phase) => phase switch
    {
        OpPhase.Decode => kind.Name() + ".decode",
        OpPhase.Prefill => kind.Name() + ".prefill",
        _ => kind.Name(),
    };
}
