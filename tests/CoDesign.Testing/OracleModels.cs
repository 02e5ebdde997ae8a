using CoDesign.Compiler.Models;
using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;

namespace CoDesign.Testing;

/// <summary>The tiny models the outside oracle and the independent reference check, one per architecture path (llama.cpp
/// names them llama, qwen2moe, qwen3moe).</summary>
public static class OracleModels
{
    public static ModelWeights Dense() => RandomModel.Create(TinyPresets.TryGet("tiny-dense")!, 1, TensorDType.BF16);
    public static ModelWeights Mixtral() => RandomModel.Create(TinyPresets.TryGet("tiny-moe")!, 1, TensorDType.F16);

    /// <summary>
    /// Qwen2-MoE-style: tiny-moe's shapes with raw top-k routing weights (norm_topk_prob false), Q/K/V biases and
    /// a shared expert behind a sigmoid gate, the tensors Qwen1.5/2-MoE checkpoints carry. Random, from a seed.
    /// </summary>
    public static ModelWeights QwenMoe()
    {
        var c = TinyPresets.TryGet("tiny-moe")!.Clone();
        c.Name = "tiny-qwen-moe";
        c.Architecture = "Qwen2MoeForCausalLM";
        c.NormTopkProb = false;
        var routed = RandomModel.Create(c, 3, TensorDType.BF16);
        int shared = 384;   // our choice: a shared expert wider than a routed one, as in Qwen1.5-MoE
        c.NumSharedExperts = 1;
        c.SharedExpertIntermediateSize = (uint)shared;
        var rng = new SplitMix64(11);
        HostTensor T(string name, int[] shape, double a) => new(name, TensorDType.BF16, shape,
            [.. Enumerable.Range(0, (int)HostTensor.ElementCount(shape)).Select(_ => HalfBits.RoundTo((float)((2 * rng.NextDouble() - 1) * a), TensorDType.BF16))]);
        int h = routed.Hidden, qd = routed.Heads * routed.HeadDim, kvd = routed.KvHeads * routed.HeadDim;
        var layers = routed.Layers.Select((L, i) => new LayerWeights
        {
            InputNorm = L.InputNorm,
            Q = L.Q,
            K = L.K,
            V = L.V,
            O = L.O,
            PostNorm = L.PostNorm,
            Router = L.Router,
            Experts = L.Experts,
            QBias = T(TensorNames.AttnBias(i, 'q'), [qd], 0.5),
            KBias = T(TensorNames.AttnBias(i, 'k'), [kvd], 0.5),
            VBias = T(TensorNames.AttnBias(i, 'v'), [kvd], 0.5),
            SharedExpert = new FfnWeights(T(TensorNames.SharedExpert(i, "gate"), [shared, h], Math.Sqrt(3.0 / h)),
                T(TensorNames.SharedExpert(i, "up"), [shared, h], Math.Sqrt(3.0 / h)), T(TensorNames.SharedExpert(i, "down"), [h, shared], Math.Sqrt(3.0 / shared))),
            SharedExpertGate = T(TensorNames.SharedExpertGate(i), [1, h], Math.Sqrt(3.0 / h)),
        }).ToArray();
        return new ModelWeights { Config = c, Embedding = routed.Embedding, Layers = layers, FinalNorm = routed.FinalNorm, LmHead = routed.LmHead, Origin = "random, seeds 3 and 11" };
    }

    /// <summary>Qwen3-MoE-style: tiny-moe's shapes with per-head q_norm/k_norm gains (1 ± 0.1, like the other norms) and renormalised top-k.</summary>
    public static ModelWeights Qwen3Moe()
    {
        var c = TinyPresets.TryGet("tiny-moe")!.Clone();
        c.Name = "tiny-qwen3-moe";
        c.Architecture = "Qwen3MoeForCausalLM";
        c.NormTopkProb = true;
        var b = RandomModel.Create(c, 4, TensorDType.BF16);
        var rng = new SplitMix64(12);
        HostTensor Gain(string name) => new(name, TensorDType.BF16, [b.HeadDim],
            [.. Enumerable.Range(0, b.HeadDim).Select(_ => HalfBits.RoundTo((float)(1 + (2 * rng.NextDouble() - 1) * 0.1), TensorDType.BF16))]);
        var layers = b.Layers.Select((L, i) => new LayerWeights
        {
            InputNorm = L.InputNorm,
            Q = L.Q,
            K = L.K,
            V = L.V,
            O = L.O,
            PostNorm = L.PostNorm,
            Router = L.Router,
            Experts = L.Experts,
            QNorm = Gain(TensorNames.QNorm(i)),
            KNorm = Gain(TensorNames.KNorm(i)),
        }).ToArray();
        return new ModelWeights { Config = c, Embedding = b.Embedding, Layers = layers, FinalNorm = b.FinalNorm, LmHead = b.LmHead, Origin = "random, seeds 4 and 12" };
    }
}
