using CoDesign.Schema;
using MathNet.Numerics.Distributions;

namespace CoDesign.Runtime.Serving;

/// <summary>
/// Draws how many token-expert pairs each expert receives in one MoE layer of one stage, as a multinomial
/// over experts (not per token), so a stage costs O(experts) draws whatever its batch.
/// Uniform top-k (the Duplex default, docs/reference/duplex-spec.md §4) or Zipf-skewed with a fixed hot-expert order per layer.
/// </summary>
public sealed class ExpertRouting : IExpertTokens
{
    readonly int _experts;
    readonly double[][] _probabilities;   // per layer (Zipf permutes which experts are hot), or one shared row
    readonly System.Random _rng;

    public ExpertRouting(int experts, int layers, string spec, System.Random rng)
    {
        _experts = experts;
        _rng = rng;
        var uniform = Enumerable.Repeat(1.0 / experts, experts).ToArray();
        if (spec.Equals("uniform", StringComparison.OrdinalIgnoreCase))
        {
            _probabilities = Enumerable.Repeat(uniform, Math.Max(1, layers)).ToArray();
            return;
        }
        if (!spec.StartsWith("zipf:", StringComparison.OrdinalIgnoreCase)
            || !double.TryParse(spec[5..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s)
            || !(s > 0) || !double.IsFinite(s))
            throw new InputException($"{Setting.Ref("routing")}: '{spec}' is not 'uniform' or 'zipf:S' with S > 0");
        _probabilities = new double[Math.Max(1, layers)][];
        for (int l = 0; l < _probabilities.Length; l++)
        {
            var p = new double[experts];
            var order = Enumerable.Range(0, experts).ToArray();
            rng.Shuffle(order);
            double norm = 0;
            for (int r = 0; r < experts; r++) norm += 1 / Math.Pow(r + 1, s);
            for (int r = 0; r < experts; r++) p[order[r]] = 1 / Math.Pow(r + 1, s) / norm;
            _probabilities[l] = p;
        }
    }

    /// <summary>Fills <paramref name="counts"/> with pairs per expert for <paramref name="tokens"/> tokens choosing top-<paramref name="k"/>.</summary>
    public void Draw(int layer, long tokens, int k, Span<double> counts)
    {
        var p = _probabilities[layer % _probabilities.Length];
        long remaining = tokens * k;
        double rest = 1;
        for (int e = 0; e < _experts; e++)
        {
            // Conditional binomials give an exact multinomial; a token picks an expert at most once, hence the cap.
            long n = e == _experts - 1 ? remaining : Binomial(remaining, Math.Min(1, p[e] / rest));
            n = Math.Min(n, tokens);
            counts[e] = n;
            remaining -= n;
            rest -= p[e];
            if (rest <= 1e-12) rest = 1e-12;
        }
        // Pairs lost to the cap go to the least-loaded experts so every token still reaches k experts.
        while (remaining > 0)
        {
            int min = 0;
            for (int e = 1; e < _experts; e++) if (counts[e] < counts[min]) min = e;
            long add = Math.Min(remaining, tokens - (long)counts[min]);
            if (add <= 0) break;
            counts[min] += add;
            remaining -= add;
        }
    }

    long Binomial(long n, double p)
    {
        if (n <= 0 || p <= 0) return 0;
        if (p >= 1) return n;
        double mean = n * p;
        if (mean < 30) return Inversion(n, p);
        if (n * (1 - p) < 30) return n - Inversion(n, 1 - p);
        // Large counts: the normal approximation (error O(1/sqrt(np))) keeps a stage O(experts).
        double x = Normal.Sample(_rng, mean, Math.Sqrt(mean * (1 - p)));
        return Math.Clamp((long)Math.Round(x), 0, n);
    }

    /// <summary>Exact binomial by CDF inversion, O(np): MathNet's sampler draws n Bernoullis, too slow per stage.</summary>
    long Inversion(long n, double p)
    {
        double q = 1 - p, s = p / q, a = (n + 1) * s;
        double r = Math.Pow(q, n), u = _rng.NextDouble();
        long x = 0;
        while (u > r && x < n)
        {
            u -= r;
            x++;
            r *= a / x - s;
            if (r <= 0) break;
        }
        return x;
    }
}
