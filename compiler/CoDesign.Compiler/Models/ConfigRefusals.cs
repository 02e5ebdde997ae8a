using System.Text.Json;
using CoDesign.Schema;

namespace CoDesign.Compiler.Models;

/// <summary>
/// Configs CoDesign would mis-model, refused before anything is read: encoders and encoder-decoders, and keys that
/// change the operators' FLOPs, bytes or data movement in a way the operator graph does not represent.
/// Keys that only change values (RoPE scaling, router scoring, biases, scalars) are accepted; ConfigFeatures lists them.
/// </summary>
static class ConfigRefusals
{
    // Hugging Face model types of encoders (bidirectional, no KV cache) and encoder-decoders (cross-attention).
    static readonly HashSet<string> Encoders =
    [
        "bert", "roberta", "xlm-roberta", "distilbert", "albert", "electra", "deberta", "deberta-v2", "camembert", "mpnet",
        "ernie", "longformer", "modernbert", "big_bird", "funnel", "layoutlm", "xlnet",
    ];
    static readonly HashSet<string> EncoderDecoders =
    [
        "t5", "mt5", "umt5", "bart", "mbart", "pegasus", "marian", "blenderbot", "led", "prophetnet", "whisper", "m2m_100",
        "nllb-moe", "switch_transformers", "encoder-decoder", "fsmt", "longt5",
    ];
    // Not attention decoders at all: recurrent or state-space layers.
    static readonly HashSet<string> NotTransformers = ["mamba", "mamba2", "falcon_mamba", "jamba", "rwkv", "zamba", "zamba2", "recurrent_gemma"];

    const string Decoders = "CoDesign models decoder-only causal LMs";

    /// <summary>Key, whether its value is one we would mis-model, and why (the message names the key).</summary>
    static readonly (string Key, Func<JsonElement, bool> Refuse, string Why)[] Keys =
    [
        ("quantization_config", _ => true, $"quantised checkpoints are not modelled from the config; remove the key and pass {Setting.Ref("weight_type")} int4|int8|fp8"),
        ("alibi", v => v.ValueKind == JsonValueKind.True, "ALiBi position bias is not modelled (RoPE is)"),
        ("attention_chunk_size", _ => true, "chunked local attention (Llama 4) is not modelled"),
        ("interleave_moe_layer_step", _ => true, "the Llama-4 MoE layer layout is not read"),
        ("add_cross_attention", v => v.ValueKind == JsonValueKind.True, "cross-attention is not modelled"),
        ("cross_attention_hidden_size", _ => true, "cross-attention is not modelled"),
        ("attention_layers", _ => true, "per-layer local/global attention (GPT-Neo) is not modelled"),
        ("text_config", _ => true, "a multimodal config; pass the text model's own config.json"),
        ("vision_config", _ => true, "a multimodal config; pass the text model's own config.json"),
        ("attn_layer_period", _ => true, "hybrid attention/state-space layers are not modelled"),
        ("ssm_cfg", _ => true, "state-space layers are not modelled"),
    ];

    public static void Check(HfConfigReader.Fields c, string modelType, string arch)
    {
        var o = c.Origin;
        if (c.Bool("is_encoder_decoder") == true || EncoderDecoders.Contains(modelType))
            throw new InputException($"{o}: model_type '{modelType}' ({arch}) is an encoder-decoder; {Decoders}");
        if (Encoders.Contains(modelType) || arch.EndsWith("ForMaskedLM", StringComparison.Ordinal))
            throw new InputException($"{o}: model_type '{modelType}' ({arch}) is an encoder; {Decoders}");
        if (NotTransformers.Contains(modelType))
            throw new InputException($"{o}: model_type '{modelType}' ({arch}) has recurrent or state-space layers; {Decoders} with attention");
        if (modelType is "bloom" or "mpt")
            throw new InputException($"{o}: model_type '{modelType}' uses ALiBi position bias, which is not modelled (RoPE is)");
        // Group-limited routing bounds the device groups a token reaches, which changes the all-to-all traffic.
        uint groups = c.Opt("n_group") ?? 1;
        if (c.Str("topk_method") is "group_limited_greedy" or "noaux_tc" && groups > 1 && (c.Opt("topk_group") ?? groups) < groups)
            throw new InputException($"{o}: field 'topk_method' = \"{c.Str("topk_method")}\" with topk_group < n_group: group-limited expert routing is not modelled; only greedy top-k is");
        foreach (var (key, refuse, why) in Keys)
            if (c.Raw(key) is { } v && refuse(v))
                throw new InputException($"{o}: field '{key}' = {Short(v)}: {why}");
    }

    static string Short(JsonElement v) => v.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? (v.ValueKind == JsonValueKind.Object ? "{...}" : "[...]") : v.GetRawText();
}
