using CoDesign.Machine.Stages;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Planning;

/// <summary>
/// What one device must hold: its weight shard (read off the operator graph, so it always agrees with the
/// bytes the operators stream), the KV cache per token, and room for activations.
/// </summary>
public static class MemoryPlanner
{
    /// <summary>Tokens whose one-layer activations are kept free (double-buffered): a large prefill stage.</summary>
    public const int ActivationReserveTokens = 8192;

    public static void Plan(Program p)
    {
        var m = p.Model;
        double weights = 0;
        foreach (var kind in p.LayerKinds)
            foreach (var op in kind.Ops)
            {
                // A prefill-only op with weights re-reads a matrix a decode op also holds (MLA's kv_b_proj).
                if (op.Phase == OpPhase.Prefill) continue;
                double w = op.Kind == OpKind.Expert ? op.ExpertWeightBytes * p.LocalExperts : AffineEval.Constant(op.WeightBytes);
                weights += w * kind.Layers.Count;
            }
        foreach (var op in p.HeadOps) weights += AffineEval.Constant(op.WeightBytes);
        // Input embeddings: vocab rows split over the tensor-parallel group (the LM head counts the output side).
        weights += (double)m.VocabSize * m.HiddenSize * Schema.Quantization.WeightFormat.Of(m).UnquantisedBytes / p.System.TensorParallel * (m.TieWordEmbeddings ? 0 : 1);

        double kvHeads = Math.Ceiling((double)m.NumKvHeads / p.System.TensorParallel);
        // MLA's latent is not split by heads: every tensor-parallel rank holds all of it.
        double kvPerToken = m.Mla is { } mla
            ? (mla.KvLoraRank + mla.QkRopeHeadDim) * m.KvCacheType.SizeBytes() * m.NumLayers
            : 2 * kvHeads * m.HeadDim * m.KvCacheType.SizeBytes() * m.NumLayers;
        double width = Math.Max(m.IntermediateSize, m.ExpertIntermediateSize) * 2.0 / p.System.TensorParallel;
        double reserve = 2.0 * ActivationReserveTokens * (m.HiddenSize * 2.0 + width) * m.ActivationType.SizeBytes();

        p.WeightBytesPerDevice = (ulong)Math.Ceiling(weights);
        p.KvBytesPerTokenPerDevice = (ulong)Math.Ceiling(kvPerToken);
        p.ActivationReserveBytesPerDevice = (ulong)Math.Ceiling(reserve);

        double capacity = p.Hardware.Memory.CapacityBytes;
        if (weights + reserve >= capacity)
            throw new InputException(
                $"model '{m.Name}' does not fit: {Units.Bytes(weights)} of weights (+{Units.Bytes(reserve)} activations) per device " +
                $"exceed the {Units.Bytes(capacity)} of '{p.Hardware.Name}' with {p.System.Devices} device(s); use more {Setting.Ref("devices")} or a smaller {Setting.Ref("weight_type")}");
    }

    public static long KvCapacityTokens(Program p) => ProgramMemory.KvCapacityTokens(p);
}
