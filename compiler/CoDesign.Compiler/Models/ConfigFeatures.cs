using System.Text.Json;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Models;

/// <summary>
/// The attention and FFN variants of a Hugging Face config (MLA, sliding windows, soft-capping, activations,
/// post-norms), read into the <see cref="ModelConfig"/> fields that the operator graph costs, and a list of what was
/// recognised (<see cref="ModelConfig.Features"/>) so a person can see what the model is taken to be.
/// </summary>
static class ConfigFeatures
{
    // Keys that change values but not the FLOPs, bytes or data movement the operator graph counts.
    static readonly Dictionary<string, string> ValuesOnly = new()
    {
        ["rope_scaling"] = "RoPE scaling (positions only; the RoPE op costs the same)",
        ["partial_rotary_factor"] = "partial RoPE (RoPE FLOPs counted on the whole head: an upper bound)",
        ["rotary_pct"] = "partial RoPE (RoPE FLOPs counted on the whole head: an upper bound)",
        ["query_pre_attn_scalar"] = "query scale (replaces 1/sqrt(head_dim))",
        ["attention_bias"] = "projection biases (not counted: under 0.01 % of the bytes)",
        ["mlp_bias"] = "FFN biases (not counted: under 0.01 % of the bytes)",
        ["qkv_bias"] = "QKV biases (not counted: under 0.01 % of the bytes)",
        ["clip_qkv"] = "QKV clipping",
        ["scoring_func"] = "router scoring function",
        ["routed_scaling_factor"] = "scale on routed experts' output",
        ["norm_topk_prob"] = "router renormalisation",
        ["parallel_attn"] = "parallel attention and FFN (costed as the same operators, run one after the other)",
        ["use_parallel_residual"] = "parallel attention and FFN (costed as the same operators, run one after the other)",
        ["num_nextn_predict_layers"] = "multi-token-prediction layers (not run by plain decoding; Hugging Face does not load them)",
        ["pretraining_tp"] = "training-time tensor-parallel slicing",
        ["embedding_multiplier"] = "embedding scale",
        ["logits_scaling"] = "logit scale",
        ["residual_multiplier"] = "residual scale",
        ["attention_multiplier"] = "attention scale",
        ["n_group"] = "expert groups (every group may be chosen)",
        ["topk_group"] = "expert groups (every group may be chosen)",
        ["topk_method"] = "greedy top-k routing",
    };

    // Keys that describe the checkpoint or training, not the forward pass.
    static readonly HashSet<string> Metadata =
    [
        "_name_or_path", "transformers_version", "bos_token_id", "eos_token_id", "pad_token_id", "initializer_range",
        "use_cache", "attention_dropout", "hidden_dropout", "dropout", "embd_pdrop", "resid_pdrop", "attn_pdrop", "auto_map",
        "tokenizer_class", "initializer_factor", "aux_loss_alpha", "seq_aux", "router_aux_loss_coef", "router_jitter_noise",
        "output_router_logits", "ep_size", "cache_implementation", "sliding_window_size", "use_bfloat16", "do_layer_norm_before",
        "enable_bias", "init_std", "layerdrop", "word_embed_proj_dim", "prefix", "torchscript", "_attn_implementation",
        "attention_probs_dropout_prob", "hidden_dropout_prob", "classifier_dropout", "moe_aux_loss_coeff", "router_z_loss_coef",
    ];

    public static void Apply(HfConfigReader.Fields c, ModelConfig m, string modelType)
    {
        var f = m.Features;
        f.Add(m.NumExperts > 0 ? $"MoE: {m.NumExperts} experts, top-{m.ExpertsPerToken}" + (m.NumSharedExperts > 0 ? $", {m.NumSharedExperts} shared" : "") : "dense FFN");
        ReadMla(c, m);
        ReadSlidingWindow(c, m, modelType);
        ReadSoftcapping(c, m, modelType);
        ReadActivation(c, m, modelType);
        m.PostNorms = ConfigFamilies.HasPostNorms(modelType);
        if (m.PostNorms) f.Add("post-attention and post-FFN norms (family default)");
        if (m.Mla is null)
            f.Add(m.NumKvHeads == m.NumAttentionHeads ? "attention: MHA" : m.NumKvHeads == 1 ? "attention: MQA" : $"attention: GQA ({m.NumAttentionHeads / m.NumKvHeads} query heads per KV head)");
        f.Add($"embeddings: {(m.TieWordEmbeddings ? "tied" : "untied")}{(c.Raw("tie_word_embeddings") is null ? $" ('{modelType}' default)" : "")}");
        foreach (var (key, what) in ValuesOnly)
            if (c.Raw(key) is { } v && !Neutral(v))
            {
                f.Add($"{key} = {Short(v)}: {what}; values only, cost unchanged");
                m.ValueKeys.Add(key);
            }
        ReadRopeScaling(c, m);
        var unread = c.Unasked().Where(k => !Metadata.Contains(k)).ToList();
        if (unread.Count > 0) f.Add($"not read (not known to change the computation): {string.Join(", ", unread)}");
    }

    /// <summary>The rope_scaling types whose frequencies the tensor runtime computes (the rest it refuses).</summary>
    static void ReadRopeScaling(HfConfigReader.Fields c, ModelConfig m)
    {
        if (c.Raw("rope_scaling") is not { ValueKind: JsonValueKind.Object } v) return;
        string? type = (v.TryGetProperty("rope_type", out var t) || v.TryGetProperty("type", out t)) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not ("linear" or "llama3")) return;
        double Num(string key, bool required)
        {
            if (!v.TryGetProperty(key, out var e)) return required ? throw c.Bad($"rope_scaling.{key}", $"missing (rope_type {type} needs it)") : 0;
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double d) || !double.IsFinite(d) || d <= 0)
                throw c.Bad($"rope_scaling.{key}", $"must be a positive number, got {e.GetRawText()}");
            return d;
        }
        var r = new RopeScaling { Type = type, Factor = Num("factor", true) };
        if (type == "llama3")
        {
            r.LowFreqFactor = Num("low_freq_factor", true);
            r.HighFreqFactor = Num("high_freq_factor", true);
            r.OriginalMaxPositionEmbeddings = Num("original_max_position_embeddings", true);
            if (r.HighFreqFactor <= r.LowFreqFactor)
                throw c.Bad("rope_scaling.high_freq_factor", $"must exceed low_freq_factor ({r.HighFreqFactor} <= {r.LowFreqFactor})");
        }
        m.RopeScaling = r;
    }

    static void ReadMla(HfConfigReader.Fields c, ModelConfig m)
    {
        if (c.Opt("kv_lora_rank") is not { } rank) return;
        if (rank == 0) throw c.Bad("kv_lora_rank", "must be at least 1");
        uint Need(string key) => c.Opt(key) ?? throw c.Bad(key, "missing (kv_lora_rank is set, so the model uses MLA)");
        m.Mla = new MlaConfig
        {
            KvLoraRank = rank,
            QLoraRank = c.Opt("q_lora_rank") ?? 0,
            QkNopeHeadDim = Need("qk_nope_head_dim"),
            QkRopeHeadDim = Need("qk_rope_head_dim"),
            VHeadDim = Need("v_head_dim"),
        };
        if (m.Mla.VHeadDim == 0) throw c.Bad("v_head_dim", "must be at least 1");
        // The per-head width everything outside attention sees is the value head (o_proj reads heads x v_head_dim).
        m.HeadDim = m.Mla.VHeadDim;
        m.NumKvHeads = m.NumAttentionHeads;
        double perToken = (double)(rank + m.Mla.QkRopeHeadDim);
        m.Features.Add($"attention: MLA (latent {rank} + RoPE key {m.Mla.QkRopeHeadDim} cached per token and layer, " +
                       $"{perToken / (2.0 * m.NumAttentionHeads * (m.Mla.QkNopeHeadDim + m.Mla.QkRopeHeadDim)):P1} of MHA's K and V; " +
                       $"q {(m.Mla.QLoraRank == 0 ? "direct" : $"via rank {m.Mla.QLoraRank}")}; up-projections absorbed in decode)");
    }

    static void ReadSlidingWindow(HfConfigReader.Fields c, ModelConfig m, string modelType)
    {
        uint? window = c.Opt("sliding_window");
        var layerTypes = c.Raw("layer_types");
        bool? use = c.Bool("use_sliding_window");
        if (window is null or 0 || use == false)
        {
            if (window is > 0) m.Features.Add($"sliding_window {window}: off (use_sliding_window is false)");
            if (layerTypes is { } lt && Types(c, lt, m.NumLayers).Any(x => x))
                throw c.Bad("layer_types", "names sliding_attention layers but sliding_window is not set");
            return;
        }
        Func<uint, bool> rule;
        string how;
        if (layerTypes is { } types)
        {
            var t = Types(c, types, m.NumLayers);
            rule = i => t[i];
            how = "layer_types";
        }
        else if (ConfigFamilies.SlidingLayerRule(modelType) is { } family)
        {
            rule = family;
            how = $"'{modelType}' alternation";
        }
        else if (use == true)
        {
            // Qwen2-style: layers from max_window_layers on use the window (modeling_qwen2.py).
            uint from = c.Opt("max_window_layers") ?? 0;
            rule = i => i >= from;
            how = $"max_window_layers {from}";
        }
        else
        {
            rule = _ => true;
            how = "every layer";
        }
        m.SlidingWindow = window.Value;
        for (uint i = 0; i < m.NumLayers; i++) m.SlidingLayers.Add(rule(i));
        int n = m.SlidingLayers.Count(x => x);
        m.Features.Add($"sliding-window attention: {window} tokens on {n} of {m.NumLayers} layers ({how}); KV and attention bounded by the window there");
    }

    static bool[] Types(HfConfigReader.Fields c, JsonElement types, uint layers)
    {
        if (types.ValueKind != JsonValueKind.Array || types.GetArrayLength() != layers)
            throw c.Bad("layer_types", $"must list one type per layer ({layers})");
        return types.EnumerateArray().Select(e => e.GetString() switch
        {
            "sliding_attention" => true,
            "full_attention" => false,
            _ => throw c.Bad("layer_types", $"has '{e.GetRawText()}'; only sliding_attention and full_attention are modelled"),
        }).ToArray();
    }

    static void ReadSoftcapping(HfConfigReader.Fields c, ModelConfig m, string modelType)
    {
        var (attn, final) = ConfigFamilies.DefaultSoftcapping(modelType);
        // An explicit null switches capping off (Gemma2Config accepts None); absence means the family default.
        m.AttnLogitSoftcapping = c.Present("attn_logit_softcapping") ? c.Num("attn_logit_softcapping") ?? 0 : attn;
        m.FinalLogitSoftcapping = c.Present("final_logit_softcapping") ? c.Num("final_logit_softcapping") ?? 0 : final;
        if (m.AttnLogitSoftcapping < 0) throw c.Bad("attn_logit_softcapping", "must not be negative");
        if (m.FinalLogitSoftcapping < 0) throw c.Bad("final_logit_softcapping", "must not be negative");
        if (m.AttnLogitSoftcapping > 0) m.Features.Add($"attention soft-capping {m.AttnLogitSoftcapping} (cap*tanh(s/cap): 3 FLOPs per score)");
        if (m.FinalLogitSoftcapping > 0) m.Features.Add($"final-logit soft-capping {m.FinalLogitSoftcapping} (3 FLOPs per logit)");
    }

    static void ReadActivation(HfConfigReader.Fields c, ModelConfig m, string modelType)
    {
        // Gemma reads hidden_activation first (modeling_gemma2.py); GPT-2 and OPT name it activation_function.
        _ = c.Str("hidden_act");   // read either way: Gemma-2 configs carry both keys
        string key = c.Str("hidden_activation") is not null ? "hidden_activation" : c.Str("hidden_act") is not null ? "hidden_act" : "activation_function";
        string? name = c.Str(key) ?? ConfigFamilies.DefaultActivation(modelType);
        if (name is null && c.Raw(key) is { } odd) throw c.Bad(key, $"must be an activation name, got {odd.GetRawText()}");
        m.Activation = name switch
        {
            null => m.FfnKind == FfnKind.TwoMatrix ? Activation.Relu : Activation.Silu,
            "silu" or "swish" => Activation.Silu,
            "gelu" or "gelu_python" => Activation.Gelu,
            "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => Activation.GeluTanh,
            "relu" => Activation.Relu,
            _ => throw c.Bad(key, $"'{name}' is not a modelled activation (silu, gelu, gelu_pytorch_tanh/gelu_new, relu)"),
        };
        string ffn = m.FfnKind == FfnKind.TwoMatrix ? "two-matrix" : "gated";
        m.Features.Add($"FFN: {ffn} {Name(m.Activation)}{(c.Str(key) is null ? (name is null ? " (assumed)" : $" ('{modelType}' default)") : "")}");
    }

    static string Name(Activation a) => a switch
    {
        Activation.Silu => "SiLU",
        Activation.Gelu => "GeLU (erf)",
        Activation.GeluTanh => "GeLU (tanh approximation)",
        Activation.Relu => "ReLU",
        _ => "unspecified",
    };

    /// <summary>Values that leave the computation as the plain model has it (no bias, factor 1, greedy softmax routing).</summary>
    static bool Neutral(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.False => true,
        JsonValueKind.Number => v.GetDouble() == 1,
        JsonValueKind.String => v.GetString() is "greedy" or "softmax",
        _ => false,
    };

    static string Short(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(", ", v.EnumerateObject().Where(p => p.Name is "type" or "rope_type" or "factor").Select(p => $"{p.Name}: {p.Value.GetRawText()}")) + ", ...}",
        JsonValueKind.Array => "[...]",
        _ => v.GetRawText(),
    };
}
