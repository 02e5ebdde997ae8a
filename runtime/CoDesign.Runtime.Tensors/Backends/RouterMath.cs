namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>Softmax + top-k + renormalisation on one row of router logits, shared so every backend picks ties alike.</summary>
public static class RouterMath
{
    /// <summary>Writes the k largest (lowest index first on equal values) into experts/weights, renormalised.</summary>
    public static void TopK(ReadOnlySpan<double> probs, int k, Span<int> experts, Span<double> weights)
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
        for (int j = 0; j < k; j++) weights[j] /= sum;
    }
}
