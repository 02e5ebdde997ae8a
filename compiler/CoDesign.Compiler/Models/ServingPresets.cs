using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Models;

/// <summary>
/// Public Hugging Face configs used by the serving-techniques study (docs/serving-techniques.md): a Qwen MoE
/// target and small dense drafts. The JSON is each model's config.json as published, less torch_dtype, so
/// that like the paper's presets they default to FP16 and --weight-type decides.
/// </summary>
public static class ServingPresets
{
    public static readonly string[] Names = ["qwen1.5-moe-a2.7b", "qwen1.5-0.5b", "tinyllama-1.1b"];

    public static ModelConfig? TryGet(string name) => name.ToLowerInvariant() switch
    {
        // huggingface.co/Qwen/Qwen1.5-MoE-A2.7B config.json: 60 routed experts top-4 + a shared expert.
        "qwen1.5-moe-a2.7b" => Parse(name, """
            {"architectures": ["Qwen2MoeForCausalLM"], "hidden_size": 2048, "intermediate_size": 5632,
             "max_position_embeddings": 8192, "model_type": "qwen2_moe", "num_attention_heads": 16,
             "num_hidden_layers": 24, "num_key_value_heads": 16, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
             "tie_word_embeddings": false, "vocab_size": 151936, "decoder_sparse_step": 1,
             "moe_intermediate_size": 1408, "shared_expert_intermediate_size": 5632, "num_experts_per_tok": 4,
             "num_experts": 60, "norm_topk_prob": false, "hidden_act": "silu"}
            """),
        // huggingface.co/Qwen/Qwen1.5-0.5B config.json: same tokenizer as the MoE, a natural draft.
        "qwen1.5-0.5b" => Parse(name, """
            {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 1024, "intermediate_size": 2816,
             "max_position_embeddings": 32768, "model_type": "qwen2", "num_attention_heads": 16,
             "num_hidden_layers": 24, "num_key_value_heads": 16, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
             "tie_word_embeddings": true, "vocab_size": 151936, "hidden_act": "silu"}
            """),
        // huggingface.co/TinyLlama/TinyLlama-1.1B-Chat-v1.0 config.json: a 32000-token Llama-2-vocabulary draft
        // of the size drafts for Mixtral take; its tokenizer is not Mixtral's, so acceptance stays an input.
        "tinyllama-1.1b" => Parse(name, """
            {"architectures": ["LlamaForCausalLM"], "hidden_size": 2048, "intermediate_size": 5632,
             "max_position_embeddings": 2048, "model_type": "llama", "num_attention_heads": 32,
             "num_hidden_layers": 22, "num_key_value_heads": 4, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
             "tie_word_embeddings": false, "vocab_size": 32000, "hidden_act": "silu"}
            """),
        _ => null,
    };

    static ModelConfig Parse(string name, string json)
    {
        var m = HfConfigReader.Parse(json, $"preset {name}");
        m.Name = name;
        return m;
    }
}
