using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>Top-k and optional renormalisation on one row of router probabilities, shared so every backend picks ties alike.</summary>
public static class RouterMath
{
    /// <summary>
    /// Whether a model renormalises its top-k routing weights (ModelConfig.norm_topk_prob; unset = true, as
    /// Mixtral does). Hugging Face's Qwen2-MoE/Qwen3-MoE/OLMoE blocks with norm_topk_prob = false weight each
    /// chosen expert by its raw softmax probability over all experts.
    /// </summary>
    public static bool NormTopK(ModelConfig c) => !c.HasNormTopkProb || c.NormTopkProb;

    /// <summary>
    /// Writes the k largest probabilities (lowest index first on equal values) into experts/weights; with
    /// <paramref name="normalize"/> they are divided by their sum (Mixtral: the same as a softmax over the top-k
    /// logits), otherwise they stay the softmax probabilities over all experts.
    /// </summary>
    public static void TopK(ReadOnlySpan<double> probs, int k, Span<int> experts, Span<double> weights, bool normalize)
    {
        Span<bool> taken = stackalloc bool[probs.Length];
        double sum = 0;
        for (int j = 0; j < k; j++)
        {
            int best = -1;
            for (int e = 0; e < probs.Length; e++)
                if (!taken[e] && (best < 0 || probs[e] > probs[best])) best = e;
            taken[best] = true;
            experts[j] = best;
            weights[j] = probs[best];
            sum += probs[best];
        }
        if (!normalize) return;
        for (int j = 0; j < k; j++) weights[j] /= sum;
    }
}
