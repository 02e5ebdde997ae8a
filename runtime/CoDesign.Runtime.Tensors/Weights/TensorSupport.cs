using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Weights;

/// <summary>
/// What the tensor runtime computes, stated once: a model whose config asks for anything else is refused with one
/// line (exit 2) instead of being run as a different model. The analytic verbs (analyze, simulate, sweep) cost these
/// models all the same; only the real-tensor verbs (run, validate, export-gguf) need the numerics.
/// </summary>
public static class TensorSupport
{
    /// <summary>
    /// Value-changing config keys the engine implements: the router's top-k renormalisation (a ModelConfig field),
    /// Qwen-style Q/K/V biases (loaded when the checkpoint has them), and keys that do not change inference
    /// (training-time tensor-parallel slicing; multi-token-prediction layers that plain decoding does not run).
    /// </summary>
    static readonly HashSet<string> Implemented = ["norm_topk_prob", "qkv_bias", "pretraining_tp", "num_nextn_predict_layers"];

    public static void Check(ModelConfig c)
    {
        string Refuse(string what) =>
            $"model {c.Name}: {what} is not implemented by the tensor runtime (run/validate); analyze and simulate cost the model as usual";
        if (c.Mla is not null) throw new InputException(Refuse("multi-head latent attention (kv_lora_rank)"));
        if (c.SlidingWindow > 0 && c.SlidingLayers.Any(x => x))
            throw new InputException(Refuse($"sliding-window attention ({c.SlidingWindow} tokens)"));
        if (c.AttnLogitSoftcapping != 0) throw new InputException(Refuse($"attention logit soft-capping ({c.AttnLogitSoftcapping})"));
        if (c.FinalLogitSoftcapping != 0) throw new InputException(Refuse($"final logit soft-capping ({c.FinalLogitSoftcapping})"));
        if (c.Activation is not (Activation.Unspecified or Activation.Silu))
            throw new InputException(Refuse($"the {c.Activation.ToString().ToLowerInvariant()} activation (it runs gated SiLU)"));
        if (c.PostNorms) throw new InputException(Refuse("post-attention and post-FFN norms"));
        // rope_scaling of a type the engine applies (linear, llama3: ModelConfig.rope_scaling) is implemented; yarn,
        // dynamic, longrope and the rest stay refused.
        var missing = c.ValueKeys.Where(k => !Implemented.Contains(k) && !(k == "rope_scaling" && c.RopeScaling is not null)).ToList();
        if (missing.Count > 0)
            throw new InputException(Refuse($"config key {string.Join(", ", missing)}" +
                (missing.Contains("rope_scaling") ? " (rope_scaling types linear and llama3 are implemented)" : "")));
    }
}
