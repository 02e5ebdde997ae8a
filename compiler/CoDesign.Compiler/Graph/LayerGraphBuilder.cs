using CoDesign.Compiler.Models;
using CoDesign.Schema;
using CoDesign.Schema.Quantization;
using CoDesign.Schema.V1;
using static CoDesign.Schema.V1.StageFeature;

namespace CoDesign.Compiler.Graph;

/// <summary>
/// Builds the operators of each distinct decoder-layer shape on ONE device, with every count an affine
/// function of the stage features (see <see cref="StageFeature"/>). Counting conventions:
/// a GEMM of M tokens x K x N costs 2MKN FLOPs and reads its weights once per stage; attention is fused
/// (scores and probabilities stay on chip, as FlashAttention on GPUs and the Logic-PIM softmax buffers do),
/// so softmax moves no DRAM bytes; K and V are written once by the QKV projection and read by every query.
/// </summary>
public sealed partial class LayerGraphBuilder(ModelConfig m, SystemConfig s)
{
    readonly double _h = m.HiddenSize;
    readonly double _d = m.HeadDim;
    readonly double _a = m.ActivationType.SizeBytes();
    // Linear layers follow the weight format (scales and zero points included); the rest stay unquantised.
    readonly WeightFormat _fmt = WeightFormat.Of(m);
    readonly double _w = WeightFormat.Of(m).UnquantisedBytes;
    readonly double _kv = m.KvCacheType.SizeBytes();
    readonly double _t = s.TensorParallel;
    // Heads are split over the tensor-parallel group; KV heads are replicated when the group outnumbers them.
    readonly double _hq = Math.Ceiling((double)m.NumAttentionHeads / s.TensorParallel);
    readonly double _hkv = Math.Ceiling((double)m.NumKvHeads / s.TensorParallel);
    readonly double _matrices = ModelStats.FfnMatrices(m);

    public IEnumerable<LayerKind> LayerKinds()
    {
        // One kind per (FFN, attention) pair in use: full-attention kinds keep their plain names.
        foreach (bool sliding in new[] { false, true })
            foreach (bool sparse in new[] { false, true })
            {
                var kind = new LayerKind { Name = (sparse ? "moe" : "dense") + (sliding ? "-sliding" : "") };
                for (uint i = 0; i < m.NumLayers; i++)
                    if (IsMoe(i) == sparse && IsSliding(i) == sliding) kind.Layers.Add(i);
                if (kind.Layers.Count == 0) continue;
                kind.Ops.AddRange(AttentionBlock(sliding));
                kind.Ops.AddRange(sparse ? MoeBlock() : DenseFfnBlock());
                yield return kind;
            }
    }

    bool IsMoe(uint i) => m.MoeLayers.Count > i && m.MoeLayers[(int)i];
    bool IsSliding(uint i) => m.SlidingWindow > 0 && m.SlidingLayers.Count > i && m.SlidingLayers[(int)i];

    public IEnumerable<OpTemplate> HeadOps()
    {
        // Logits only for tokens that produce one: each decode and each prefill's last chunk (approximated by one per prefill).
        var logitTokens = new[] { DecodeTokens, PrefillRequests };   // a verify step needs logits at all k+1 positions
        double vocab = Math.Ceiling((double)m.VocabSize / _t);
        yield return Elementwise(OpNames.Embedding, OpKind.Embedding, flopsPerToken: 0, bytesPerToken: 2 * _h * _a);
        yield return new OpTemplate
        {
            Name = OpNames.NormFinal,
            Kind = OpKind.Norm,
            Phase = OpPhase.All,
            EnergyGroup = EnergyGroup.Fc,
            Elementwise = true,
            Flops = PerAny(logitTokens, 4 * _h),
            ActivationBytes = PerAny(logitTokens, 2 * _h * _a),
            WeightBytes = Aff.Of((One, _h * _w)),
        };
        yield return new OpTemplate
        {
            Name = OpNames.LmHead,
            Kind = OpKind.LmHead,
            Phase = OpPhase.All,
            EnergyGroup = EnergyGroup.Fc,
            Matrix = true,
            Flops = PerAny(logitTokens, (2 * _h + (m.FinalLogitSoftcapping > 0 ? 3 : 0)) * vocab),
            WeightBytes = Aff.Of((One, _h * vocab * _w)),
            ActivationBytes = PerAny(logitTokens, (_h + vocab) * _a),
        };
    }

    IEnumerable<OpTemplate> AttentionBlock(bool sliding)
    {
        if (m.Mla is not null)
        {
            foreach (var op in MlaAttentionBlock(sliding)) yield return op;
            yield break;
        }
        // A sliding-window layer reads at most the window's keys per query (StageShape bounds each request).
        var (decodeContext, decodePairs, prefillPairs, prefillContext) = sliding
            ? (DecodeContextWindowed, DecodePairsWindowed, PrefillPairsWindowed, PrefillContextWindowed)
            : (DecodeContext, DecodePairs, PrefillPairs, PrefillContext);
        double qkvWidth = (_hq + 2 * _hkv) * _d;
        yield return Norm(OpNames.NormAttention);
        yield return new OpTemplate
        {
            Name = OpNames.QkvProjection,
            Kind = OpKind.QkvProjection,
            Phase = OpPhase.All,
            EnergyGroup = EnergyGroup.Fc,
            Matrix = true,
            Flops = Aff.Of((Tokens, 2 * _h * qkvWidth)),
            WeightBytes = Aff.Of((One, _fmt.LinearBytes(_h, qkvWidth))),
            DequantElements = Dequant(_fmt.DequantElements(_h, qkvWidth)),
            ActivationBytes = Aff.Of((Tokens, (_h + _hq * _d) * _a)),
            KvBytes = Aff.Of((Tokens, 2 * _hkv * _d * _kv)),   // K and V appended to the cache
        };
        yield return Elementwise(OpNames.Rope, OpKind.Rope, flopsPerToken: 3 * (_hq + _hkv) * _d, bytesPerToken: 2 * (_hq + _hkv) * _d * _a);

        // Decode: every query reads its request's whole K and V (a sliding-window layer: the window's); Op/B ->
        // group size for fp16. A verify step's k+1 queries share one read of the KV (pairs grow, bytes do not), so
        // its Op/B is (k+1) x group size.
        yield return Attention(OpNames.ScoreDecode, OpKind.AttentionScore, OpPhase.Decode, decodePairs, DecodeTokens, decodeContext, 2 * _hq * _d);
        yield return Softmax(OpNames.SoftmaxDecode, OpPhase.Decode, decodePairs);
        yield return Attention(OpNames.ContextDecode, OpKind.AttentionContext, OpPhase.Decode, decodePairs, DecodeTokens, decodeContext, 2 * _hq * _d);
        // Prefill: causal pairs; K/V of the chunk's context are streamed once per request.
        yield return Attention(OpNames.ScorePrefill, OpKind.AttentionScore, OpPhase.Prefill, prefillPairs, PrefillTokens, prefillContext, 2 * _hq * _d);
        yield return Softmax(OpNames.SoftmaxPrefill, OpPhase.Prefill, prefillPairs);
        yield return Attention(OpNames.ContextPrefill, OpKind.AttentionContext, OpPhase.Prefill, prefillPairs, PrefillTokens, prefillContext, 2 * _hq * _d);

        yield return new OpTemplate
        {
            Name = OpNames.OutputProjection,
            Kind = OpKind.OutputProjection,
            Phase = OpPhase.All,
            EnergyGroup = EnergyGroup.Fc,
            Matrix = true,
            Flops = Aff.Of((Tokens, 2 * _hq * _d * _h)),
            WeightBytes = Aff.Of((One, _fmt.LinearBytes(_hq * _d, _h))),
            DequantElements = Dequant(_fmt.DequantElements(_hq * _d, _h)),
            ActivationBytes = Aff.Of((Tokens, (_hq * _d + _h) * _a)),
        };
        if (s.TensorParallel > 1) yield return AllReduce(OpNames.AllReduceAttention, s.TensorParallel, _h * _a);
        if (m.PostNorms) yield return Norm(OpNames.NormPostAttention);
    }

    IEnumerable<OpTemplate> DenseFfnBlock()
    {
        double width = Math.Ceiling(m.IntermediateSize / _t);
        yield return Norm(OpNames.NormFfn);
        yield return Ffn(OpNames.Ffn, OpKind.Ffn, EnergyGroup.Fc, width);
        if (s.TensorParallel > 1) yield return AllReduce(OpNames.AllReduceFfn, s.TensorParallel, _h * _a);
        if (m.PostNorms) yield return Norm(OpNames.NormPostFfn);
    }

    IEnumerable<OpTemplate> MoeBlock()
    {
        double e = m.NumExperts, k = m.ExpertsPerToken, slices = s.ExpertTensorParallel, dp = s.DataParallel, devices = s.Devices;
        yield return Norm(OpNames.NormFfn);
        yield return new OpTemplate
        {
            // The gate is a skinny GEMM followed by top-k; Duplex keeps both on the xPU (docs/reference/duplex-spec.md §3).
            Name = OpNames.Router,
            Kind = OpKind.Router,
            Phase = OpPhase.All,
            EnergyGroup = EnergyGroup.Moe,
            Elementwise = true,
            Flops = Aff.Of((Tokens, 2 * _h * e)),
            WeightBytes = Aff.Of((One, _h * e * _w)),
            ActivationBytes = Aff.Of((Tokens, (_h + e) * _a)),
        };

        // Token-expert pairs leave their device when the experts live elsewhere. Under EP, tokens owned by
        // one TP rank (T/t of them) go to k experts, each cut into `slices` pieces on different devices.
        bool ep = s.MoeParallelism == MoeParallelism.Ep;
        double a2aGroup = ep ? devices : s.Nodes;
        // EP spans every device, a node's worth sharing NVLink; under +ET the group is one device per node.
        uint a2aPerNode = ep ? Math.Min((uint)devices, Math.Max(1u, s.DevicesPerNode)) : 1;
        if (a2aGroup > 1)
        {
            double bytesPerToken = ep
                ? k / _t * slices * _h * _a * (devices - 1) / devices
                : k * _h * _a * (s.Nodes - 1) / s.Nodes;
            yield return AllToAll(OpNames.Dispatch, (uint)a2aGroup, a2aPerNode, bytesPerToken);
        }
        double width = m.ExpertIntermediateSize / slices;
        yield return new OpTemplate
        {
            Name = OpNames.Experts,
            Kind = OpKind.Expert,
            Phase = OpPhase.All,
            EnergyGroup = EnergyGroup.Moe,
            Matrix = true,
            ExpertFlopsPerToken = 2 * _matrices * _h * width,
            ExpertWeightBytes = FfnBytes(width),
            ExpertDequantElements = FfnDequant(width),
            // Read the token, write the result; the intermediate is written and read back once.
            ExpertActivationBytesPerToken = (2 * _h + 2 * width) * _a,
            // Expected counts (uniform routing) for analysis; the runtime draws per-expert tokens instead.
            Flops = Aff.Of((Tokens, dp * k / e * LocalExperts * 2 * _matrices * _h * width)),
            WeightBytes = Aff.Of((One, LocalExperts * FfnBytes(width))),
            DequantElements = Dequant(LocalExperts * FfnDequant(width)),
            ActivationBytes = Aff.Of((Tokens, dp * k / e * LocalExperts * (2 * _h + 2 * width) * _a)),
        };
        // A Logic-PIM expert is spread over every stack and its down projection leaves one partial sum per stack,
        // which the xPU adds (docs/reference/duplex-spec.md §3). Charged per token-expert pair that ran on the PIM,
        // so it costs nothing on a GPU; the stack count comes from the hardware (Machine/Stages/PartialSumReduction).
        yield return new OpTemplate
        {
            Name = OpNames.PartialSums,
            Kind = OpKind.PartialSumReduction,
            Phase = OpPhase.All,
            EnergyGroup = EnergyGroup.Moe,
            Elementwise = true,
            ExpertFlopsPerToken = _h,               // one add per element per extra stack
            ExpertActivationBytesPerToken = _h * _a, // one partial read per stack, the sum written once
        };
        if (m.NumSharedExperts > 0)
            yield return Ffn(OpNames.SharedExpert, OpKind.SharedExpert, EnergyGroup.Moe,
                Math.Ceiling(m.NumSharedExperts * (double)m.SharedExpertIntermediateSize / _t));
        if (a2aGroup > 1)
        {
            double bytesPerToken = ep
                ? k / _t * slices * _h * _a * (devices - 1) / devices
                : k * _h * _a * (s.Nodes - 1) / s.Nodes;
            yield return AllToAll(OpNames.Combine, (uint)a2aGroup, a2aPerNode, bytesPerToken);
        }
        if (slices > 1)
        {
            // Partial sums of sliced experts: under EP the pairs landing on a device; under +ET the node's tokens.
            double payloadPerToken = ep ? dp * k * slices / devices * _h * _a : _h * _a;
            yield return AllReduce(OpNames.AllReduceMoe, (uint)slices, payloadPerToken);
        }
        else if (m.NumSharedExperts > 0 && s.TensorParallel > 1)
            yield return AllReduce(OpNames.AllReduceMoe, s.TensorParallel, _h * _a);
    }

    /// <summary>Experts (or expert slices) resident on one device.</summary>
    public uint LocalExperts => m.NumExperts == 0 ? 0
        : (uint)Math.Ceiling((double)m.NumExperts / Math.Max(1, s.ExpertParallel));

    OpTemplate Ffn(string name, OpKind kind, EnergyGroup group, double width) => new()
    {
        Name = name,
        Kind = kind,
        Phase = OpPhase.All,
        EnergyGroup = group,
        Matrix = true,
        Flops = Aff.Of((Tokens, 2 * _matrices * _h * width)),
        WeightBytes = Aff.Of((One, FfnBytes(width))),
        DequantElements = Dequant(FfnDequant(width)),
        ActivationBytes = Aff.Of((Tokens, (2 * _h + 2 * width) * _a)),
    };

    /// <summary>Gate/up read K = hidden, the down projection K = width: their groups differ.</summary>
    double FfnBytes(double width) => (_matrices - 1) * _fmt.LinearBytes(_h, width) + _fmt.LinearBytes(width, _h);
    double FfnDequant(double width) => _matrices * _fmt.DequantElements(_h, width);
    static Affine? Dequant(double elements) => elements > 0 ? Aff.Of((One, elements)) : null;

    OpTemplate Norm(string name) => new()
    {
        Name = name,
        Kind = OpKind.Norm,
        Phase = OpPhase.All,
        EnergyGroup = EnergyGroup.Fc,
        Elementwise = true,
        Flops = Aff.Of((Tokens, 4 * _h)),
        ActivationBytes = Aff.Of((Tokens, 2 * _h * _a)),
        WeightBytes = Aff.Of((One, _h * _w)),
    };

    OpTemplate Elementwise(string name, OpKind kind, double flopsPerToken, double bytesPerToken) => new()
    {
        Name = name,
        Kind = kind,
        Phase = OpPhase.All,
        EnergyGroup = EnergyGroup.Fc,
        Elementwise = true,
        Flops = Aff.Of((Tokens, flopsPerToken)),
        ActivationBytes = Aff.Of((Tokens, bytesPerToken)),
    };

    OpTemplate Attention(string name, OpKind kind, OpPhase phase, StageFeature pairs, StageFeature queries, StageFeature kvTokens, double flopsPerPair) => new()
    {
        Name = name,
        Kind = kind,
        Phase = phase,
        EnergyGroup = EnergyGroup.Attention,
        Matrix = true,
        Flops = Aff.Of((pairs, flopsPerPair)),
        KvBytes = Aff.Of((kvTokens, _hkv * _d * _kv)),
        ActivationBytes = Aff.Of((queries, _hq * _d * _a)),
    };

    OpTemplate Softmax(string name, OpPhase phase, StageFeature pairs) => new()
    {
        // max, subtract, exp, sum, divide per score; soft-capping adds divide, tanh, multiply (counted as one each)
        Name = name,
        Kind = OpKind.AttentionSoftmax,
        Phase = phase,
        EnergyGroup = EnergyGroup.Attention,
        Flops = Aff.Of((pairs, (5 + (m.AttnLogitSoftcapping > 0 ? 3 : 0)) * _hq)),
    };

    OpTemplate AllReduce(string name, uint group, double payloadBytesPerToken) => new()
    {
        Name = name,
        Kind = OpKind.AllReduce,
        Phase = OpPhase.All,
        EnergyGroup = EnergyGroup.Communication,
        // Ring all-reduce: each device sends 2(g-1)/g of the payload.
        CommBytes = Aff.Of((Tokens, 2.0 * (group - 1) / group * payloadBytesPerToken)),
        CommGroup = group,
        CommGroupPerNode = Math.Min(group, Math.Max(1u, s.DevicesPerNode)),
        CommScope = group <= s.DevicesPerNode ? LinkScope.IntraNode : LinkScope.InterNode,
    };

    OpTemplate AllToAll(string name, uint group, uint perNode, double bytesPerToken) => new()
    {
        Name = name,
        Kind = OpKind.AllToAll,
        Phase = OpPhase.All,
        EnergyGroup = EnergyGroup.Communication,
        CommBytes = Aff.Of((Tokens, bytesPerToken)),
        CommGroup = group,
        CommGroupPerNode = perNode,
        CommScope = perNode < group ? LinkScope.InterNode : LinkScope.IntraNode,
    };

    static Affine PerAny(StageFeature[] features, double k) => Aff.Of(features.Select(f => (f, k)).ToArray());
}
