using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>
/// One way to execute the model's operators. Activations cross the interface as row-major float64 arrays so
/// that the float64 reference keeps full precision; a float32 backend narrows them on entry and its float32
/// results widen exactly on exit, which is what an FP32 activation pipeline stores between operators.
/// Weights are <see cref="HostTensor"/>s; a backend may cache its own copy (keyed by the tensor object).
/// Implementations must be safe to call from two threads at once (expert and attention co-processing).
/// </summary>
public interface IBackend : IDisposable
{
    string Name { get; }
    /// <summary>What actually executes, e.g. "ILGPU CUDA: NVIDIA H100" or "CPU SIMD, 2 threads".</summary>
    string Device { get; }
    /// <summary>The unit roundoffs of the backend's operands and accumulators; validation derives its tolerances from them.</summary>
    Precision Precision { get; }

    /// <summary>
    /// The unit roundoffs of one operator kind, where a backend keeps some operands narrower than the rest
    /// (the gpu backend's FP16 KV cache makes attention's operands binary16); by default <see cref="Precision"/>.
    /// </summary>
    Precision PrecisionOf(OpKind op) => Precision;

    /// <summary>y[r, n] = Σ_k x[r, k]·w[n, k] for a weight w of shape [N, K] (a Hugging Face Linear).</summary>
    double[] Linear(OpKind kind, double[] x, int rows, HostTensor w);

    /// <summary>y = x / sqrt(mean(x²) + eps) ⊙ gamma, per row.</summary>
    double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps);

    /// <summary>Rotary embedding (Llama "rotate half" layout) of rows [rows, heads·headDim] at the given positions.</summary>
    double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope);

    /// <summary>Causal grouped-query attention of one sequence's new rows against its KV cache.</summary>
    double[] Attention(AttentionInput a);

    /// <summary>
    /// Router: logits = x·routerᵀ, softmax, top-k; with <paramref name="normalizeTopK"/> the weights are
    /// renormalised over the chosen k (Mixtral), otherwise they are the softmax probabilities (Qwen-MoE with
    /// norm_topk_prob = false). See <see cref="RouterMath"/>.
    /// </summary>
    RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK);

    /// <summary>SwiGLU FFN: down(silu(gate·x) ⊙ up·x), per row.</summary>
    double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w);
}

/// <summary>
/// Query rows [Rows, Heads·HeadDim] of one sequence at positions FirstPosition.. and the sequence's cache
/// K/V [CacheLength, KvHeads·HeadDim] (positions 0..CacheLength-1, the new rows included). Row r attends to
/// cache positions 0..FirstPosition + r, scaled by 1/sqrt(HeadDim).
/// </summary>
public sealed record AttentionInput(double[] Q, int Rows, double[] K, double[] V, int CacheLength,
    int Heads, int KvHeads, int HeadDim, int FirstPosition);

/// <summary>Per row, the chosen experts (descending weight, lowest index first on ties) and their weights.</summary>
public sealed record RouterResult(int[] Experts, double[] Weights, int TopK)
{
    /// <summary>Dense [rows, experts] weights (zero where not chosen): the form validation compares.</summary>
    public double[] Dense(int numExperts)
    {
        int rows = Experts.Length / TopK;
        var d = new double[rows * numExperts];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < TopK; j++) d[r * numExperts + Experts[r * TopK + j]] = Weights[r * TopK + j];
        return d;
    }
}
