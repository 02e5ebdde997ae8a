using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;

namespace CoDesign.Runtime.Tensors.Validation;

/// <summary>
/// A second float64 implementation of the decoder, written from the Hugging Face modelling code (LlamaModel,
/// MixtralSparseMoeBlock, Qwen2MoeSparseMoeBlock, Qwen3MoeAttention) and sharing nothing with the engine or the
/// backends: one whole sequence at a time, no KV cache, no batching, positions 0..n-1, every sum a plain loop.
/// What validate would otherwise never see is the engine's own code, which the reference and the candidate
/// run alike: embedding, positions, residuals, the expert combine, KV writes. Teacher-forced on the tokens the
/// engine produced, this gives the logits each engine step should have seen.
/// </summary>
public static class IndependentReference
{
    /// <summary>
    /// The LM-head logits after each of the last <paramref name="steps"/> positions of <paramref name="tokens"/>
    /// ([steps][vocab]): for prompt + generated tokens, step i scores generated token i.
    /// </summary>
    public static double[][] Logits(ModelWeights w, IReadOnlyList<int> tokens, int steps)
    {
        var c = w.Config;
        int n = tokens.Count, h = w.Hidden;
        if (steps < 1 || steps > n) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"1..{n}");
        var x = new double[n][];
        for (int t = 0; t < n; t++)
        {
            x[t] = new double[h];
            for (int i = 0; i < h; i++) x[t][i] = w.Embedding.Values[(long)tokens[t] * h + i];
        }
        foreach (var layer in w.Layers)
        {
            var attn = SelfAttention(w, layer, x.Select(r => RmsNorm(r, layer.InputNorm, c.NormEps)).ToArray());
            for (int t = 0; t < n; t++) x[t] = Add(x[t], Linear(layer.O, attn[t]));
            for (int t = 0; t < n; t++)
            {
                var b = RmsNorm(x[t], layer.PostNorm, c.NormEps);
                x[t] = Add(x[t], layer.IsMoe ? SparseMoe(w, layer, b) : Mlp(layer.Dense!, b));
            }
        }
        var logits = new double[steps][];
        for (int s = 0; s < steps; s++) logits[s] = Linear(w.LmHead, RmsNorm(x[n - steps + s], w.FinalNorm, c.NormEps));
        return logits;
    }

    static double[][] SelfAttention(ModelWeights w, LayerWeights L, double[][] a)
    {
        int n = a.Length, d = w.HeadDim, hq = w.Heads, hkv = w.KvHeads, group = hq / hkv;
        var c = w.Config;
        var q = new double[n][];
        var k = new double[n][];
        var v = new double[n][];
        for (int t = 0; t < n; t++)
        {
            q[t] = Bias(Linear(L.Q, a[t]), L.QBias);
            k[t] = Bias(Linear(L.K, a[t]), L.KBias);
            v[t] = Bias(Linear(L.V, a[t]), L.VBias);
            // Qwen3 normalises each head ([head_dim] gain), OLMoE the whole projection ([heads·head_dim] gain).
            if (L.QNorm is { } qn) q[t] = GroupedRmsNorm(q[t], qn, c.NormEps);
            if (L.KNorm is { } kn) k[t] = GroupedRmsNorm(k[t], kn, c.NormEps);
            q[t] = RotateHalf(q[t], hq, d, t, c);
            k[t] = RotateHalf(k[t], hkv, d, t, c);
        }
        var y = new double[n][];
        double scale = 1 / Math.Sqrt(d);
        for (int t = 0; t < n; t++)
        {
            y[t] = new double[hq * d];
            for (int head = 0; head < hq; head++)
            {
                int kvh = head / group;
                var p = new double[t + 1];
                for (int j = 0; j <= t; j++)
                {
                    double s = 0;
                    for (int i = 0; i < d; i++) s += q[t][head * d + i] * k[j][kvh * d + i];
                    p[j] = s * scale;
                }
                Softmax(p);
                for (int j = 0; j <= t; j++)
                    for (int i = 0; i < d; i++) y[t][head * d + i] += p[j] * v[j][kvh * d + i];
            }
        }
        return y;
    }

    /// <summary>Softmax over all experts, top-k (lowest index first on equal probability, as torch.topk on CPU keeps
    /// the first), renormalised when norm_topk_prob (unset: Mixtral's behaviour, renormalised); plus the sigmoid-gated
    /// shared expert of Qwen2-MoE.</summary>
    static double[] SparseMoe(ModelWeights w, LayerWeights L, double[] b)
    {
        var c = w.Config;
        var p = Linear(L.Router!, b);
        Softmax(p);
        var order = Enumerable.Range(0, p.Length).OrderByDescending(e => p[e]).ThenBy(e => e).Take(w.TopK).ToArray();
        double sum = order.Sum(e => p[e]);
        bool renormalise = !c.HasNormTopkProb || c.NormTopkProb;
        var y = new double[w.Hidden];
        foreach (int e in order)
        {
            double weight = renormalise ? p[e] / sum : p[e];
            var o = Mlp(L.Experts[e], b);
            for (int i = 0; i < y.Length; i++) y[i] += weight * o[i];
        }
        if (L.SharedExpert is { } shared)
        {
            var s = Mlp(shared, b);
            double g = L.SharedExpertGate is { } gate ? 1 / (1 + Math.Exp(-Linear(gate, b)[0])) : 1;
            for (int i = 0; i < y.Length; i++) y[i] += g * s[i];
        }
        return y;
    }

    /// <summary>down(silu(gate·x) ⊙ up·x).</summary>
    static double[] Mlp(FfnWeights f, double[] x)
    {
        var g = Linear(f.Gate, x);
        var u = Linear(f.Up, x);
        for (int i = 0; i < g.Length; i++) g[i] = g[i] / (1 + Math.Exp(-g[i])) * u[i];
        return Linear(f.Down, g);
    }

    /// <summary>y = W·x for a Linear weight W of shape [out, in].</summary>
    static double[] Linear(HostTensor wt, double[] x)
    {
        int rows = wt.Rows, cols = wt.Cols;
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int i = 0; i < cols; i++) s += (double)wt.Values[(long)r * cols + i] * x[i];
            y[r] = s;
        }
        return y;
    }

    static double[] RmsNorm(double[] x, HostTensor gain, double eps) => GroupedRmsNorm(x, gain, eps);

    /// <summary>RMSNorm over consecutive groups of gain.Cols elements (one group when the gain spans x).</summary>
    static double[] GroupedRmsNorm(double[] x, HostTensor gain, double eps)
    {
        int g = gain.Cols;
        var y = new double[x.Length];
        for (int start = 0; start < x.Length; start += g)
        {
            double ms = 0;
            for (int i = 0; i < g; i++) ms += x[start + i] * x[start + i];
            double r = 1 / Math.Sqrt(ms / g + eps);
            for (int i = 0; i < g; i++) y[start + i] = x[start + i] * r * gain.Values[i];
        }
        return y;
    }

    /// <summary>Llama's rotary embedding: pairs (i, i + d/2) of each head rotated by position·ω_i, ω_i = θ^(−2i/d)
    /// with the config's rope_scaling (linear: ω/factor; llama3: by wavelength, modeling_rope_utils).</summary>
    static double[] RotateHalf(double[] x, int heads, int d, int position, Schema.V1.ModelConfig c)
    {
        var y = new double[x.Length];
        int half = d / 2;
        for (int head = 0; head < heads; head++)
            for (int i = 0; i < half; i++)
            {
                double angle = position * Omega(i, d, c);
                double cos = Math.Cos(angle), sin = Math.Sin(angle);
                int a = head * d + i, b = a + half;
                y[a] = x[a] * cos - x[b] * sin;
                y[b] = x[b] * cos + x[a] * sin;
            }
        return y;
    }

    static double Omega(int i, int d, Schema.V1.ModelConfig c)
    {
        double omega = 1 / Math.Pow(c.RopeTheta, 2.0 * i / d);
        var s = c.RopeScaling;
        if (s is null) return omega;
        if (s.Type == "linear") return omega / s.Factor;
        // llama3: λ = 2π/ω against the original context's bands.
        double lambda = 2 * Math.PI / omega, old = s.OriginalMaxPositionEmbeddings;
        if (lambda < old / s.HighFreqFactor) return omega;
        if (lambda > old / s.LowFreqFactor) return omega / s.Factor;
        double t = (old / lambda - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return t * omega + (1 - t) * omega / s.Factor;
    }

    static void Softmax(double[] p)
    {
        double max = p.Max(), sum = 0;
        for (int i = 0; i < p.Length; i++) { p[i] = Math.Exp(p[i] - max); sum += p[i]; }
        for (int i = 0; i < p.Length; i++) p[i] /= sum;
    }

    static double[] Bias(double[] y, HostTensor? bias)
    {
        if (bias is null) return y;
        for (int i = 0; i < y.Length; i++) y[i] += bias.Values[i];
        return y;
    }

    static double[] Add(double[] a, double[] b)
    {
        var y = new double[a.Length];
        for (int i = 0; i < a.Length; i++) y[i] = a[i] + b[i];
        return y;
    }
}
