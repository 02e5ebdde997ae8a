namespace CoDesign.Runtime.Tensors.Weights;

/// <summary>
/// Tensor names of Hugging Face checkpoints. Attention, norms and embeddings are shared by Llama, Mixtral and
/// Qwen; experts differ: Mixtral uses block_sparse_moe.{gate, experts.E.w1/w3/w2} (w1 = gate, w3 = up, w2 = down),
/// Qwen-MoE uses mlp.{gate, experts.E.gate_proj/up_proj/down_proj, shared_expert.*, shared_expert_gate}.
/// </summary>
public static class TensorNames
{
    public const string Embedding = "model.embed_tokens.weight";
    public const string FinalNorm = "model.norm.weight";
    public const string LmHead = "lm_head.weight";

    public static string Layer(int i, string rest) => $"model.layers.{i}.{rest}";
    public static string InputNorm(int i) => Layer(i, "input_layernorm.weight");
    public static string PostNorm(int i) => Layer(i, "post_attention_layernorm.weight");
    public static string Attn(int i, char p) => Layer(i, $"self_attn.{p}_proj.weight");
    public static string AttnBias(int i, char p) => Layer(i, $"self_attn.{p}_proj.bias");
    /// <summary>Qwen3 / OLMoE RMSNorm of the query and key projections before RoPE.</summary>
    public static string QNorm(int i) => Layer(i, "self_attn.q_norm.weight");
    public static string KNorm(int i) => Layer(i, "self_attn.k_norm.weight");
    public static string DenseFfn(int i, string proj) => Layer(i, $"mlp.{proj}_proj.weight");

    public enum MoeStyle { Mixtral, Qwen }

    public static string Router(int i, MoeStyle s) => s == MoeStyle.Mixtral ? Layer(i, "block_sparse_moe.gate.weight") : Layer(i, "mlp.gate.weight");

    /// <summary>proj is "gate", "up" or "down".</summary>
    public static string Expert(int i, int e, string proj, MoeStyle s) => s == MoeStyle.Mixtral
        ? Layer(i, $"block_sparse_moe.experts.{e}.{proj switch { "gate" => "w1", "up" => "w3", _ => "w2" }}.weight")
        : Layer(i, $"mlp.experts.{e}.{proj}_proj.weight");

    public static string SharedExpert(int i, string proj) => Layer(i, $"mlp.shared_expert.{proj}_proj.weight");
    public static string SharedExpertGate(int i) => Layer(i, "mlp.shared_expert_gate.weight");
}
