namespace CoDesign.Compiler.Models;

/// <summary>
/// Defaults that depend on a config's <c>model_type</c>: what Hugging Face transformers assumes when a key is absent.
/// Each entry is the default argument of that family's configuration class (transformers
/// <c>models/&lt;family&gt;/configuration_&lt;family&gt;.py</c>); a family not listed gets PretrainedConfig's own default.
/// </summary>
public static class ConfigFamilies
{
    // tie_word_embeddings=False in LlamaConfig, MistralConfig, MixtralConfig, Qwen2Config, Qwen2MoeConfig, Qwen3Config,
    // Qwen3MoeConfig, PhiConfig, Phi3Config, GPTNeoXConfig, GPTJConfig, DeepseekV2Config, DeepseekV3Config, OlmoConfig,
    // Olmo2Config, OlmoeConfig and DbrxConfig.
    static readonly HashSet<string> Untied =
    [
        "llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "phi", "phi3", "gpt_neox", "gptj",
        "deepseek_v2", "deepseek_v3", "olmo", "olmo2", "olmoe", "dbrx",
    ];

    /// <summary>Whether an absent <c>tie_word_embeddings</c> means tied: PretrainedConfig's default (True) unless the family overrides it.</summary>
    public static bool TiesEmbeddingsByDefault(string modelType) => !Untied.Contains(modelType);

    /// <summary>The family's activation when the config names none (GemmaConfig/Gemma2Config: gelu_pytorch_tanh; OPT: relu; GPT-2: gelu_new).</summary>
    public static string? DefaultActivation(string modelType) => modelType switch
    {
        "gemma" or "gemma2" or "gemma3_text" or "gemma3" => "gelu_pytorch_tanh",
        "opt" => "relu",
        "gpt2" or "gpt_bigcode" => "gelu_new",
        _ => null,
    };

    /// <summary>Gemma-2 and -3 put a second norm after attention and after the FFN (modeling_gemma2.py Gemma2DecoderLayer).</summary>
    public static bool HasPostNorms(string modelType) => modelType is "gemma2" or "gemma3" or "gemma3_text";

    /// <summary>
    /// Which layers use the sliding window when the family decides it, not the config: Gemma-2 alternates, starting
    /// with a windowed layer (modeling_gemma2.py: is_sliding = not bool(layer_idx % 2)); null otherwise.
    /// </summary>
    public static Func<uint, bool>? SlidingLayerRule(string modelType) => modelType switch
    {
        "gemma2" => i => i % 2 == 0,
        _ => null,
    };

    /// <summary>Gemma2Config's soft-capping defaults: 50 on attention scores, 30 on the final logits.</summary>
    public static (double Attention, double Final) DefaultSoftcapping(string modelType) =>
        modelType == "gemma2" ? (50.0, 30.0) : (0, 0);
}
