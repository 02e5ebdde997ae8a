using System.Text.Json;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using CoDesign.Schema.Validation;

namespace CoDesign.Compiler.Models.Validation;

/// <summary>
/// The allowed range of every numeric key a Hugging Face config.json may set (docs/input-limits.md lists them),
/// checked on the raw JSON before the reader normalises it, so an absurd value is named as the user wrote it
/// and never reaches an allocation or a size product. Bounds are our choice: each admits every published
/// decoder with a wide margin (the largest real value is in the comment) and refuses what would wrap an integer
/// or make a cost infinite. Zero and missing keep the reader's meaning (derive, dense, unset).
/// </summary>
public static class ConfigLimits
{
    // Largest real: 16,384 (Llama 3.1 405B).
    static readonly Limit Hidden = Limit.Int(1, 1 << 17);
    // Largest real: 126 (Llama 3.1 405B).
    static readonly Limit Layers = Limit.Int(1, 1024);
    // Largest real: 128 query heads (Llama 3.1 405B).
    static readonly Limit Heads = Limit.Int(1, 4096);
    static readonly Limit HeadDim = Limit.Int(0, 4096);
    // Largest real dense FFN: 53,248 (Llama 3.1 405B); 0 is refused by the reader where a dense FFN is needed.
    static readonly Limit Width = Limit.Int(0, 1 << 20);
    // Largest real: 256,000 (Gemma); 2^24 is 64x that.
    static readonly Limit Vocab = Limit.Int(1, 1 << 24);
    // Largest real: 256 routed experts, top-8 (DeepSeek-V3).
    static readonly Limit Experts = Limit.Int(0, 4096);
    static readonly Limit TopK = Limit.Int(0, 256);
    static readonly Limit SharedExperts = Limit.Int(0, 64);
    static readonly Limit LayerIndex = Limit.Int(0, 1024);
    // Largest real: 10,485,760 (Llama 4 Scout); 2^27 is 12x that.
    static readonly Limit Positions = Limit.Int(0, 1 << 27);
    // Largest real: 5e8 (Llama 4); a RoPE base must be positive to give finite angles.
    static readonly Limit RopeTheta = Limit.Positive(1e12, "");
    // Real: 1e-6 .. 1e-5; an epsilon is added under a square root, so it must be positive and small.
    static readonly Limit NormEps = Limit.Positive(1, "");
    /// <summary>100 trillion parameters: 250x the largest model modelled here; keeps every byte count far from 2^63.</summary>
    public const double MaxParameters = 1e14;

    static readonly (string[] Keys, Limit Limit)[] Table =
    [
        (["hidden_size", "d_model", "n_embd"], Hidden),
        (["num_hidden_layers", "n_layer", "num_layers"], Layers),
        (["num_attention_heads", "n_head", "num_key_value_heads", "num_kv_heads", "n_head_kv"], Heads),
        (["head_dim"], HeadDim),
        (["intermediate_size", "ffn_dim", "n_inner", "moe_intermediate_size", "expert_intermediate_size", "shared_expert_intermediate_size"], Width),
        (["vocab_size"], Vocab),
        (["num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts"], Experts),
        (["num_experts_per_tok", "num_selected_experts", "moe_top_k"], TopK),
        (["n_shared_experts", "num_shared_experts"], SharedExperts),
        (["decoder_sparse_step", "moe_layer_freq", "expert_layer_period", "first_k_dense_replace", "expert_layer_offset"], LayerIndex),
        (["max_position_embeddings", "n_positions"], Positions),
        (["rope_theta"], RopeTheta),
        (["rms_norm_eps", "layer_norm_eps", "layer_norm_epsilon"], NormEps),
    ];

    /// <summary>All keys with a range, for docs and tests.</summary>
    public static IEnumerable<(string Key, Limit Limit)> Keys => Table.SelectMany(t => t.Keys.Select(k => (k, t.Limit)));

    /// <summary>Checks the raw document: strings decodable, every ranged numeric key in range, layer lists in range.</summary>
    public static void CheckRaw(JsonElement root, string origin)
    {
        JsonStrings.Check(root, origin);
        foreach (var (key, limit) in Keys)
        {
            // A non-number is left to the reader, whose message says which type it wants.
            if (!root.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.Number) continue;
            limit.Check(v.GetDouble(), $"field '{key}'", origin);
        }
        if (root.TryGetProperty("mlp_only_layers", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            if (list.GetArrayLength() > LayerIndex.Max) throw new InputException($"{origin}: field 'mlp_only_layers' lists more than {LayerIndex.Max} layers");
            foreach (var e in list.EnumerateArray())
                if (e.ValueKind == JsonValueKind.Number) LayerIndex.Check(e.GetDouble(), "field 'mlp_only_layers' entry", origin);
        }
    }

    /// <summary>Checks what the fields give together: the parameter count, estimated in floating point so it cannot wrap.</summary>
    public static ModelConfig Checked(ModelConfig m, string origin)
    {
        double attention = (double)m.HiddenSize * m.HeadDim * (2.0 * m.NumAttentionHeads + 2.0 * m.NumKvHeads);
        double matrices = m.FfnKind == FfnKind.TwoMatrix ? 2 : 3;
        double ffn = matrices * m.HiddenSize * ((double)m.NumExperts * m.ExpertIntermediateSize + (double)m.NumSharedExperts * m.SharedExpertIntermediateSize + m.IntermediateSize);
        double total = m.NumLayers * (attention + ffn) + 2.0 * m.VocabSize * m.HiddenSize;
        if (total > MaxParameters)
            throw new InputException($"{origin}: the fields give about {total:0.###e+0} parameters, more than the {MaxParameters:0e+0} this tool models (check hidden_size, num_hidden_layers, intermediate_size, the expert count)");
        return m;
    }
}
