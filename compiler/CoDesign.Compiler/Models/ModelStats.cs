using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Models;

/// <summary>Parameter counts derived from a <see cref="ModelConfig"/> (norm weights and biases ignored: &lt; 0.01 %).</summary>
public static class ModelStats
{
    public static double AttentionParams(ModelConfig m) => m.Mla is { } a
        ? MlaParams(m.HiddenSize, m.NumAttentionHeads, a)
        : (double)m.HiddenSize * m.HeadDim * (2.0 * m.NumAttentionHeads + 2.0 * m.NumKvHeads);   // Q, O + K, V

    /// <summary>q (direct or q_a + q_b), kv_a (latent + RoPE key), kv_b (latent to per-head K_nope and V), o.</summary>
    static double MlaParams(double h, double heads, MlaConfig a)
    {
        double qHead = a.QkNopeHeadDim + a.QkRopeHeadDim;
        double q = a.QLoraRank == 0 ? h * heads * qHead : h * a.QLoraRank + (double)a.QLoraRank * heads * qHead;
        return q + h * (a.KvLoraRank + a.QkRopeHeadDim) + (double)a.KvLoraRank * heads * (a.QkNopeHeadDim + a.VHeadDim) + heads * a.VHeadDim * h;
    }

    public static double FfnMatrices(ModelConfig m) => m.FfnKind == FfnKind.TwoMatrix ? 2 : 3;

    public static double DenseFfnParams(ModelConfig m) => FfnMatrices(m) * m.HiddenSize * m.IntermediateSize;
    public static double ExpertParams(ModelConfig m) => FfnMatrices(m) * m.HiddenSize * m.ExpertIntermediateSize;
    public static double SharedExpertParams(ModelConfig m) => m.NumSharedExperts * FfnMatrices(m) * m.HiddenSize * m.SharedExpertIntermediateSize;
    public static double RouterParams(ModelConfig m) => (double)m.HiddenSize * m.NumExperts;

    public static int MoeLayerCount(ModelConfig m) => m.MoeLayers.Count(x => x);
    public static int DenseLayerCount(ModelConfig m) => (int)m.NumLayers - MoeLayerCount(m);

    public static double EmbeddingParams(ModelConfig m) => (double)m.VocabSize * m.HiddenSize * (m.TieWordEmbeddings ? 1 : 2);

    public static double TotalParams(ModelConfig m) =>
        m.NumLayers * AttentionParams(m)
        + DenseLayerCount(m) * DenseFfnParams(m)
        + MoeLayerCount(m) * (m.NumExperts * ExpertParams(m) + SharedExpertParams(m) + RouterParams(m))
        + EmbeddingParams(m);

    /// <summary>Parameters a token touches (top-k experts only).</summary>
    public static double ActiveParams(ModelConfig m) =>
        m.NumLayers * AttentionParams(m)
        + DenseLayerCount(m) * DenseFfnParams(m)
        + MoeLayerCount(m) * (m.ExpertsPerToken * ExpertParams(m) + SharedExpertParams(m) + RouterParams(m))
        + EmbeddingParams(m);

    /// <summary>Checkpoint bytes: linear layers in the weight format (scales and zero points included), the rest unquantised.</summary>
    public static double WeightBytes(ModelConfig m)
    {
        var f = Schema.Quantization.WeightFormat.Of(m);
        double h = m.HiddenSize, q = (double)m.NumAttentionHeads * m.HeadDim, kv = (double)m.NumKvHeads * m.HeadDim;
        double Ffn(double width) => (FfnMatrices(m) - 1) * f.LinearBytes(h, width) + f.LinearBytes(width, h);
        // MLA's projections stay unquantised in the graph (LayerGraphBuilder.Mla), so they are counted so here.
        double attention = m.Mla is not null ? AttentionParams(m) * f.UnquantisedBytes : f.LinearBytes(h, q + 2 * kv) + f.LinearBytes(q, h);
        double linear = m.NumLayers * attention + DenseLayerCount(m) * Ffn(m.IntermediateSize)
            + MoeLayerCount(m) * (m.NumExperts * Ffn(m.ExpertIntermediateSize) + m.NumSharedExperts * Ffn(m.SharedExpertIntermediateSize));
        double rest = MoeLayerCount(m) * RouterParams(m) + EmbeddingParams(m);
        return linear + rest * f.UnquantisedBytes;
    }

    /// <summary>KV-cache bytes per token over all layers (K and V).</summary>
    public static double KvBytesPerToken(ModelConfig m) => m.Mla is { } a
        ? (double)m.NumLayers * (a.KvLoraRank + a.QkRopeHeadDim) * m.KvCacheType.SizeBytes()
        : 2.0 * m.NumLayers * m.NumKvHeads * m.HeadDim * m.KvCacheType.SizeBytes();
}
