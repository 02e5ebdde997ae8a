using CoDesign.Schema.V1;
using static CoDesign.Schema.V1.StageFeature;

namespace CoDesign.Compiler.Graph;

/// <summary>
/// Multi-head latent attention (DeepSeek-V2, arXiv:2405.04434 §2.1 and appendix C). The cache holds one latent
/// c_KV (kv_lora_rank) and one shared RoPE key (qk_rope_head_dim) per token, replicated on every tensor-parallel
/// rank because every head reads all of it. Decode absorbs the up-projections (W_UK into the query, W_UV after
/// the context), so every head scores against the same latent: its Op/B grows with the head count, as for MQA.
/// Prefill up-projects the latent to per-head K and V and runs ordinary attention (what DeepSeek's reference
/// inference does for long chunks). Scores and context read the latent separately, as K and V are for MHA:
/// a kernel fusing both reads it once, so decode KV bytes are an upper bound by at most (r+p)/(2r+p).
/// </summary>
public sealed partial class LayerGraphBuilder
{
    IEnumerable<OpTemplate> MlaAttentionBlock(bool sliding)
    {
        var mla = m.Mla;
        double r = mla.KvLoraRank, p = mla.QkRopeHeadDim, n = mla.QkNopeHeadDim, v = mla.VHeadDim, rq = mla.QLoraRank;
        var (decodeContext, decodePairs, prefillPairs, prefillContext) = sliding
            ? (DecodeContextWindowed, DecodePairsWindowed, PrefillPairsWindowed, PrefillContextWindowed)
            : (DecodeContext, DecodePairs, PrefillPairs, PrefillContext);
        // Query weights: direct (rq = 0) or through the q_lora bottleneck; the down-projections are replicated.
        double qWeights = rq == 0 ? _h * _hq * (n + p) : _h * rq + rq * _hq * (n + p);
        double kvDown = _h * (r + p);

        yield return Norm(OpNames.NormAttention);
        yield return new OpTemplate
        {
            Name = OpNames.QkvProjection,
            Kind = OpKind.QkvProjection,
            Phase = OpPhase.All,
            EnergyGroup = EnergyGroup.Fc,
            Matrix = true,
            Flops = Aff.Of((Tokens, 2 * (qWeights + kvDown))),
            WeightBytes = Aff.Of((One, (qWeights + kvDown) * _w)),
            ActivationBytes = Aff.Of((Tokens, (_h + _hq * (n + p) + 2 * rq) * _a)),
            KvBytes = Aff.Of((Tokens, (r + p) * _kv)),   // the latent and the RoPE key appended to the cache
        };
        yield return Elementwise(OpNames.Rope, OpKind.Rope, flopsPerToken: 3 * (_hq + 1) * p, bytesPerToken: 2 * (_hq + 1) * p * _a);

        // Decode, absorbed: q_nope·W_UK gives a latent query per head; scores see latent + RoPE key (r + p).
        // A verify step's k+1 queries per request share one read of the latent cache (pairs grow, bytes do not).
        yield return Matmul(OpNames.MlaAbsorbQueryDecode, OpKind.QkvProjection, OpPhase.Decode, DecodeTokens, _hq * n * r, _hq * (n + r));
        yield return new OpTemplate
        {
            Name = OpNames.ScoreDecode,
            Kind = OpKind.AttentionScore,
            Phase = OpPhase.Decode,
            EnergyGroup = EnergyGroup.Attention,
            Matrix = true,
            Flops = Aff.Of((decodePairs, 2 * _hq * (r + p))),
            KvBytes = Aff.Of((decodeContext, (r + p) * _kv)),
            ActivationBytes = Aff.Of((DecodeTokens, _hq * (r + p) * _a)),
        };
        yield return Softmax(OpNames.SoftmaxDecode, OpPhase.Decode, decodePairs);
        yield return new OpTemplate
        {
            Name = OpNames.ContextDecode,
            Kind = OpKind.AttentionContext,
            Phase = OpPhase.Decode,
            EnergyGroup = EnergyGroup.Attention,
            Matrix = true,
            Flops = Aff.Of((decodePairs, 2 * _hq * r)),
            KvBytes = Aff.Of((decodeContext, r * _kv)),
            ActivationBytes = Aff.Of((DecodeTokens, _hq * r * _a)),
        };
        yield return Matmul(OpNames.MlaAbsorbValueDecode, OpKind.OutputProjection, OpPhase.Decode, DecodeTokens, _hq * r * v, _hq * (r + v));

        // Prefill: W_UK and W_UV (kv_b_proj) expand every visible latent to per-head K_nope and V.
        yield return new OpTemplate
        {
            Name = OpNames.MlaUpProjectPrefill,
            Kind = OpKind.QkvProjection,
            Phase = OpPhase.Prefill,
            EnergyGroup = EnergyGroup.Fc,
            Matrix = true,
            Flops = Aff.Of((prefillContext, 2 * r * _hq * (n + v))),
            WeightBytes = Aff.Of((One, r * _hq * (n + v) * _w)),
            KvBytes = Aff.Of((prefillContext, r * _kv)),
            ActivationBytes = Aff.Of((prefillContext, _hq * (n + v) * _a)),
        };
        yield return new OpTemplate
        {
            Name = OpNames.ScorePrefill,
            Kind = OpKind.AttentionScore,
            Phase = OpPhase.Prefill,
            EnergyGroup = EnergyGroup.Attention,
            Matrix = true,
            Flops = Aff.Of((prefillPairs, 2 * _hq * (n + p))),
            KvBytes = Aff.Of((prefillContext, p * _kv)),
            ActivationBytes = Aff.Of((PrefillTokens, _hq * (n + p) * _a), (prefillContext, _hq * n * _a)),
        };
        yield return Softmax(OpNames.SoftmaxPrefill, OpPhase.Prefill, prefillPairs);
        yield return new OpTemplate
        {
            Name = OpNames.ContextPrefill,
            Kind = OpKind.AttentionContext,
            Phase = OpPhase.Prefill,
            EnergyGroup = EnergyGroup.Attention,
            Matrix = true,
            Flops = Aff.Of((prefillPairs, 2 * _hq * v)),
            ActivationBytes = Aff.Of((PrefillTokens, _hq * v * _a), (prefillContext, _hq * v * _a)),
        };

        yield return new OpTemplate
        {
            Name = OpNames.OutputProjection,
            Kind = OpKind.OutputProjection,
            Phase = OpPhase.All,
            EnergyGroup = EnergyGroup.Fc,
            Matrix = true,
            Flops = Aff.Of((Tokens, 2 * _hq * v * _h)),
            WeightBytes = Aff.Of((One, _hq * v * _h * _w)),
            ActivationBytes = Aff.Of((Tokens, (_hq * v + _h) * _a)),
        };
        if (s.TensorParallel > 1) yield return AllReduce(OpNames.AllReduceAttention, s.TensorParallel, _h * _a);
        if (m.PostNorms) yield return Norm(OpNames.NormPostAttention);
    }

    /// <summary>A GEMM of <paramref name="rows"/> x (weight elements) whose weights are read once per stage.</summary>
    OpTemplate Matmul(string name, OpKind kind, OpPhase phase, StageFeature rows, double weightElements, double activationElementsPerRow) => new()
    {
        Name = name,
        Kind = kind,
        Phase = phase,
        EnergyGroup = EnergyGroup.Fc,
        Matrix = true,
        Flops = Aff.Of((rows, 2 * weightElements)),
        WeightBytes = Aff.Of((One, weightElements * _w)),
        ActivationBytes = Aff.Of((rows, activationElementsPerRow * _a)),
    };
}
