using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using static CoDesign.Runtime.Tensors.Weights.TensorNames;

namespace CoDesign.Runtime.Tensors.Weights;

/// <summary>Where tensors come from: a checkpoint (looked up and shape-checked) or a random generator.</summary>
public interface ITensorSource
{
    bool Has(string name);
    /// <summary>The tensor with that name and shape; throws <see cref="InputException"/> when it is missing or shaped otherwise.</summary>
    HostTensor Get(string name, int[] shape);
}

/// <summary>
/// Builds <see cref="ModelWeights"/> from a config by asking a source for every tensor the config implies, in one
/// fixed order (so a seeded random source is reproducible), with the shapes the config implies.
/// </summary>
public static class ModelAssembler
{
    public static ModelWeights Build(ModelConfig c, ITensorSource src, string origin, MoeStyle? preferredStyle = null)
    {
        Check(c);
        int h = (int)c.HiddenSize, v = (int)c.VocabSize, qDim = (int)(c.NumAttentionHeads * c.HeadDim), kvDim = (int)(c.NumKvHeads * c.HeadDim);
        var embed = src.Get(Embedding, [v, h]);
        var layers = new LayerWeights[c.NumLayers];
        for (int i = 0; i < layers.Length; i++)
        {
            bool moe = c.NumExperts > 0 && (c.MoeLayers.Count == 0 || c.MoeLayers[i]);
            HostTensor? Opt(string name, int[] shape) => src.Has(name) ? src.Get(name, shape) : null;
            var inNorm = src.Get(InputNorm(i), [h]);
            var q = src.Get(Attn(i, 'q'), [qDim, h]);
            var k = src.Get(Attn(i, 'k'), [kvDim, h]);
            var vv = src.Get(Attn(i, 'v'), [kvDim, h]);
            var o = src.Get(Attn(i, 'o'), [h, qDim]);
            var qb = Opt(AttnBias(i, 'q'), [qDim]);
            var kb = Opt(AttnBias(i, 'k'), [kvDim]);
            var vb = Opt(AttnBias(i, 'v'), [kvDim]);
            // OLMoE normalises the whole projection (modeling_olmoe.py: q_norm = RMSNorm(hidden_size)); Qwen3 each head.
            bool wholeQk = c.Architecture.Contains("Olmoe", StringComparison.OrdinalIgnoreCase);
            var qn = Opt(QNorm(i), [wholeQk ? qDim : (int)c.HeadDim]);
            var kn = Opt(KNorm(i), [wholeQk ? kvDim : (int)c.HeadDim]);
            var post = src.Get(PostNorm(i), [h]);
            if (!moe)
            {
                int f = (int)c.IntermediateSize;
                var dense = new FfnWeights(src.Get(DenseFfn(i, "gate"), [f, h]), src.Get(DenseFfn(i, "up"), [f, h]), src.Get(DenseFfn(i, "down"), [h, f]));
                layers[i] = new LayerWeights { InputNorm = inNorm, Q = q, K = k, V = vv, O = o, QBias = qb, KBias = kb, VBias = vb, QNorm = qn, KNorm = kn, PostNorm = post, Dense = dense };
                continue;
            }
            // The router's name tells the checkpoint's naming style; a missing router is reported in the preferred style.
            var style = preferredStyle ?? (src.Has(Router(i, MoeStyle.Qwen)) && !src.Has(Router(i, MoeStyle.Mixtral)) ? MoeStyle.Qwen : MoeStyle.Mixtral);
            int e = (int)c.NumExperts, fe = (int)c.ExpertIntermediateSize;
            var router = src.Get(Router(i, style), [e, h]);
            var experts = new FfnWeights[e];
            for (int x = 0; x < e; x++)
                experts[x] = new FfnWeights(src.Get(Expert(i, x, "gate", style), [fe, h]), src.Get(Expert(i, x, "up", style), [fe, h]), src.Get(Expert(i, x, "down", style), [h, fe])) { Expert = x };
            FfnWeights? shared = null;
            HostTensor? sharedGate = null;
            if (c.NumSharedExperts > 0)
            {
                int fs = (int)(c.SharedExpertIntermediateSize * c.NumSharedExperts);
                shared = new FfnWeights(src.Get(SharedExpert(i, "gate"), [fs, h]), src.Get(SharedExpert(i, "up"), [fs, h]), src.Get(SharedExpert(i, "down"), [h, fs]));
                sharedGate = Opt(SharedExpertGate(i), [1, h]);
            }
            layers[i] = new LayerWeights
            {
                InputNorm = inNorm,
                Q = q,
                K = k,
                V = vv,
                O = o,
                QBias = qb,
                KBias = kb,
                VBias = vb,
                QNorm = qn,
                KNorm = kn,
                PostNorm = post,
                Router = router,
                Experts = experts,
                SharedExpert = shared,
                SharedExpertGate = sharedGate,
            };
        }
        var norm = src.Get(FinalNorm, [h]);
        var head = c.TieWordEmbeddings && !src.Has(LmHead) ? embed : src.Get(LmHead, [v, h]);
        return new ModelWeights { Config = c, Embedding = embed, Layers = layers, FinalNorm = norm, LmHead = head, Origin = origin };
    }

    /// <summary>The runtime's limits: gated-SiLU FFNs, grouped heads, an even head size for RoPE.</summary>
    static void Check(ModelConfig c)
    {
        string Why(string s) => $"model {c.Name}: {s}";
        if (c.FfnKind == FfnKind.TwoMatrix) throw new InputException(Why("two-matrix FFNs (OPT/GLaM-style) are not supported by the tensor runtime; it runs gated-SiLU (Llama/Mixtral/Qwen) models"));
        if (c.HiddenSize == 0 || c.NumLayers == 0 || c.NumAttentionHeads == 0 || c.NumKvHeads == 0 || c.HeadDim == 0 || c.VocabSize == 0)
            throw new InputException(Why("hidden_size, num_hidden_layers, heads, head_dim and vocab_size must all be positive"));
        if (c.NumAttentionHeads % c.NumKvHeads != 0) throw new InputException(Why($"{c.NumKvHeads} KV heads do not divide {c.NumAttentionHeads} heads"));
        if (c.HeadDim % 2 != 0) throw new InputException(Why($"head_dim {c.HeadDim} is odd; RoPE rotates pairs"));
        if (c.NumExperts > 0 && (c.ExpertsPerToken == 0 || c.ExpertsPerToken > c.NumExperts))
            throw new InputException(Why($"experts_per_token {c.ExpertsPerToken} must be 1..{c.NumExperts}"));
        if (c.MoeLayers.Count != 0 && c.MoeLayers.Count != c.NumLayers)
            throw new InputException(Why($"moe_layers has {c.MoeLayers.Count} entries for {c.NumLayers} layers"));
        TensorSupport.Check(c);
    }
}
