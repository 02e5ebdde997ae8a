using System.Text.Json;
using CoDesign.Compiler.Models.Validation;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using CoDesign.Schema.Validation;

namespace CoDesign.Compiler.Models;

/// <summary>
/// Normalises a Hugging Face config.json (Llama, Mixtral, Qwen2-MoE, Qwen3-MoE, OLMoE, OPT, DeepSeek-style and
/// any decoder with the standard keys) into a <see cref="ModelConfig"/>. Missing or contradictory fields are
/// errors that name the field.
/// </summary>
public static class HfConfigReader
{
    // Model types whose router keeps the raw softmax probabilities of the top-k experts unless the config says
    // norm_topk_prob: true. Hugging Face transformers: Qwen2MoeConfig, Qwen3MoeConfig and OlmoeConfig all default
    // norm_topk_prob=False (configuration_qwen2_moe.py, configuration_qwen3_moe.py, configuration_olmoe.py).
    // Mixtral has no such key and always renormalises (modeling_mixtral.py: routing_weights /= sum).
    static readonly HashSet<string> RawTopKTypes = ["qwen2_moe", "qwen3_moe", "olmoe"];

    // Model types whose FFN is up -> activation -> down (no gate); everything else is gated SiLU.
    static readonly HashSet<string> TwoMatrixTypes = ["opt", "gpt2", "gptj", "gpt_neox", "bloom", "falcon", "phi", "starcoder2", "gpt_bigcode"];

    public static ModelConfig Load(string path)
    {
        return Parse(InputFiles.ReadText(path, "model config", InputFiles.MaxJsonBytes), path);
    }

    public static ModelConfig Parse(string json, string origin)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InputException($"{origin}: not valid JSON ({InputText.OneLine(e.Message)})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InputException($"{origin}: expected a JSON object");
            ConfigLimits.CheckRaw(doc.RootElement, origin);   // ranges of every numeric key: docs/input-limits.md
            var c = new Fields(doc.RootElement, origin);
            return ConfigLimits.Checked(Normalise(c, origin), origin);
        }
    }

    static ModelConfig Normalise(Fields c, string origin)
    {
        var modelType = c.Str("model_type") ?? "";
        var arch = c.FirstArchitecture() ?? (modelType.Length > 0 ? modelType : "unknown");
        ConfigRefusals.Check(c, modelType, arch);
        uint hidden = c.ReqPositive("hidden_size", "d_model", "n_embd");
        uint layers = c.ReqPositive("num_hidden_layers", "n_layer", "num_layers");
        uint heads = c.ReqPositive("num_attention_heads", "n_head");
        uint kvHeads = c.Opt("num_key_value_heads", "num_kv_heads", "n_head_kv") ?? heads;
        if (c.Bool("multi_query") == true) kvHeads = 1;
        if (kvHeads == 0) throw c.Bad("num_key_value_heads", "must be at least 1");
        if (heads % kvHeads != 0)
            throw c.Bad("num_key_value_heads", $"{kvHeads} does not divide num_attention_heads {heads}");
        uint headDim = c.Opt("head_dim") ?? 0;
        if (headDim == 0)
        {
            if (hidden % heads != 0) throw c.Bad("head_dim", $"missing, and hidden_size {hidden} is not a multiple of num_attention_heads {heads}");
            headDim = hidden / heads;
        }
        uint vocab = c.ReqPositive("vocab_size");
        bool twoMatrix = TwoMatrixTypes.Contains(modelType) || c.Has("ffn_dim");
        uint? dense = c.Opt("intermediate_size", "ffn_dim", "n_inner");

        // MoE: Mixtral/OLMoE/Qwen name the expert count differently; DeepSeek splits routed and shared.
        uint experts = c.Opt("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts") ?? 0;
        uint topK = c.Opt("num_experts_per_tok", "num_selected_experts", "moe_top_k") ?? 0;
        uint expertWidth = 0, shared = 0, sharedWidth = 0;
        var moe = new bool[layers];
        if (experts > 0)
        {
            if (topK == 0) throw c.Bad("num_experts_per_tok", "missing for an MoE model (num_experts is set)");
            if (topK > experts) throw c.Bad("num_experts_per_tok", $"{topK} exceeds the {experts} experts");
            expertWidth = c.Opt("moe_intermediate_size", "expert_intermediate_size") ?? dense
                ?? throw c.Bad("intermediate_size", "missing (neither moe_intermediate_size nor intermediate_size is set)");
            if (c.Opt("shared_expert_intermediate_size") is { } sw and > 0) { shared = 1; sharedWidth = sw; }
            else if (c.Opt("n_shared_experts", "num_shared_experts") is { } ns and > 0) { shared = ns; sharedWidth = expertWidth; }

            uint step = c.Opt("decoder_sparse_step", "moe_layer_freq", "expert_layer_period") ?? 1;
            if (step == 0) throw c.Bad("decoder_sparse_step", "must be at least 1");
            uint firstDense = c.Opt("first_k_dense_replace") ?? 0;
            uint offset = c.Opt("expert_layer_offset") ?? 0;
            var mlpOnly = c.UIntList("mlp_only_layers");
            bool qwenStyle = c.Has("decoder_sparse_step");
            for (uint i = 0; i < layers; i++)
            {
                bool sparse = qwenStyle ? (i + 1) % step == 0
                    : c.Has("expert_layer_period") ? i % step == offset % step
                    : i >= firstDense && i % step == 0;   // DeepSeek: layer_idx >= first_k_dense_replace and layer_idx % moe_layer_freq == 0
                moe[i] = sparse && !mlpOnly.Contains(i);
            }
            if (!moe.Any(x => x)) throw c.Bad("decoder_sparse_step", "leaves no sparse layer although experts are set");
        }
        bool needsDense = experts == 0 || moe.Any(x => !x);
        if (needsDense && dense is null) throw c.Bad("intermediate_size", "missing");
        if (needsDense && dense == 0) throw c.Bad("intermediate_size", "must be at least 1");
        if (experts > 0 && expertWidth == 0) throw c.Bad("moe_intermediate_size", "must be at least 1 for an MoE model");

        var m = new ModelConfig
        {
            Name = c.Str("_name_or_path") is { Length: > 0 } n ? Path.GetFileName(n.TrimEnd('/')) : NameFromPath(origin, arch),
            Architecture = arch,
            HiddenSize = hidden,
            NumLayers = layers,
            NumAttentionHeads = heads,
            NumKvHeads = kvHeads,
            HeadDim = headDim,
            IntermediateSize = dense ?? 0,
            VocabSize = vocab,
            FfnKind = twoMatrix ? FfnKind.TwoMatrix : FfnKind.GatedSilu,
            NumExperts = experts,
            ExpertsPerToken = topK,
            ExpertIntermediateSize = expertWidth,
            NumSharedExperts = shared,
            SharedExpertIntermediateSize = sharedWidth,
            TieWordEmbeddings = c.Bool("tie_word_embeddings") ?? ConfigFamilies.TiesEmbeddingsByDefault(modelType),
            MaxPositionEmbeddings = c.Opt("max_position_embeddings", "n_positions") ?? 0,
            RopeTheta = c.Num("rope_theta") ?? (modelType == "opt" ? 0 : 10000),
            NormEps = c.Num("rms_norm_eps") ?? c.Num("layer_norm_eps") ?? c.Num("layer_norm_epsilon") ?? 1e-5,
            Source = $"Hugging Face config {origin}",
        };
        m.MoeLayers.Add(moe);
        if (experts > 0)
        {
            // Unset means renormalise (Mixtral); a config's own key wins for any model type.
            if (c.Bool("norm_topk_prob") is { } norm) m.NormTopkProb = norm;
            else if (RawTopKTypes.Contains(modelType)) m.NormTopkProb = false;
        }
        if ((c.Str("torch_dtype") ?? c.Str("dtype")) is { } dt)
        {
            var type = DataTypes.Parse(dt, $"{origin}: torch_dtype");
            m.WeightType = m.ActivationType = m.KvCacheType = type;
        }
        if (c.Raw("quantization_config") is { } q) QuantisationConfigReader.Apply(q, m, origin);
        ConfigFeatures.Apply(c, m, modelType);
        return m;
    }

    /// <summary>A model directory's config.json is named after the directory; any other file after itself.</summary>
    static string NameFromPath(string origin, string fallback)
    {
        var full = Path.GetFullPath(origin);
        var name = string.Equals(Path.GetFileName(full), "config.json", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFileName(Path.GetDirectoryName(full))
            : Path.GetFileNameWithoutExtension(full);
        return string.IsNullOrEmpty(name) ? fallback : name;
    }

    /// <summary>Typed access to config fields with errors that name the field and the file; remembers what was asked.</summary>
    internal sealed class Fields(JsonElement root, string origin)
    {
        readonly HashSet<string> _asked = [];
        bool Mark(string name) => _asked.Add(name) || true;
        public string Origin => origin;
        public InputException Bad(string field, string why) => new($"{origin}: field '{field}' {why}");
        public bool Has(string name) => Mark(name) && root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

        /// <summary>Whether the key is in the file at all, even as null.</summary>
        public bool Present(string name) => Mark(name) && root.TryGetProperty(name, out _);

        /// <summary>Keys set in the file (not null) that no accessor has asked for.</summary>
        public IEnumerable<string> Unasked() => root.EnumerateObject()
            .Where(p => p.Value.ValueKind != JsonValueKind.Null && !_asked.Contains(p.Name)).Select(p => p.Name);

        /// <summary>The raw value of a key (null when absent or null), marked as asked.</summary>
        public JsonElement? Raw(string name)
        {
            _asked.Add(name);
            return root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
        }

        /// <summary>A required dimension: present and at least 1; the error names the key the file used.</summary>
        public uint ReqPositive(params string[] names)
        {
            uint v = Req(names);
            if (v == 0) throw Bad(names.FirstOrDefault(Has) ?? names[0], "must be at least 1");
            return v;
        }

        public uint Req(params string[] names) =>
            Opt(names) ?? throw new InputException($"{origin}: missing field '{names[0]}'");

        public uint? Opt(params string[] names)
        {
            foreach (var name in names)
            {
                _asked.Add(name);
                if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) continue;
                if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d >= 0 && d <= uint.MaxValue && d == Math.Floor(d))
                    return (uint)d;
                throw Bad(name, $"must be a non-negative integer, got {v.GetRawText()}");
            }
            return null;
        }

        public double? Num(string name)
        {
            _asked.Add(name);
            if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Bad(name, $"must be a number, got {v.GetRawText()}");
        }

        public bool? Bool(string name)
        {
            _asked.Add(name);
            if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Bad(name, $"must be true or false, got {v.GetRawText()}"),
            };
        }

        public string? Str(string name) =>
            Mark(name) && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        public string? FirstArchitecture() =>
            Mark("architectures") && root.TryGetProperty("architectures", out var v) && v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0
                && v[0].ValueKind == JsonValueKind.String ? v[0].GetString() : null;

        public HashSet<uint> UIntList(string name)
        {
            var set = new HashSet<uint>();
            _asked.Add(name);
            if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return set;
            if (v.ValueKind != JsonValueKind.Array) throw Bad(name, "must be a list of layer indices");
            foreach (var e in v.EnumerateArray())
                set.Add(e.ValueKind == JsonValueKind.Number && e.TryGetUInt32(out var u) ? u : throw Bad(name, $"has a non-integer entry {e.GetRawText()}"));
            return set;
        }
    }
}
