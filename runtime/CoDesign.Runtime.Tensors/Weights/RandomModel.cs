using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Weights;

/// <summary>
/// A model with seeded random weights in a chosen storage type. Matrices are uniform with variance 1/fan_in
/// (so activations keep unit scale through the layers and logits have unit-order gaps), norm gains are
/// 1 ± 0.1, embeddings have unit variance. Values are rounded to the storage type, so writing and reading
/// them back is exact.
/// </summary>
public static class RandomModel
{
    public static ModelWeights Create(ModelConfig config, ulong seed, TensorDType storage) =>
        ModelAssembler.Build(config, new RandomSource(seed, storage), $"random weights, seed {seed}", TensorNames.MoeStyle.Mixtral);

    /// <summary>Every tensor of a model, in file order (embedding, layers, norm, head), each once.</summary>
    public static List<HostTensor> AllTensors(ModelWeights w)
    {
        var list = new List<HostTensor> { w.Embedding };
        foreach (var l in w.Layers)
        {
            list.AddRange([l.InputNorm, l.Q, l.K, l.V, l.O]);
            foreach (var b in new[] { l.QBias, l.KBias, l.VBias, l.QNorm, l.KNorm }) if (b is not null) list.Add(b);
            list.Add(l.PostNorm);
            if (l.Dense is { } d) list.AddRange([d.Gate, d.Up, d.Down]);
            if (l.Router is { } r) list.Add(r);
            foreach (var e in l.Experts) list.AddRange([e.Gate, e.Up, e.Down]);
            if (l.SharedExpert is { } s) list.AddRange([s.Gate, s.Up, s.Down]);
            if (l.SharedExpertGate is { } g) list.Add(g);
        }
        list.Add(w.FinalNorm);
        if (!ReferenceEquals(w.LmHead, w.Embedding)) list.Add(w.LmHead);
        return list;
    }

    sealed class RandomSource(ulong seed, TensorDType storage) : ITensorSource
    {
        readonly SplitMix64 _rng = new(seed);
        public bool Has(string name) => false;

        public HostTensor Get(string name, int[] shape)
        {
            var values = new float[HostTensor.ElementCount(shape)];
            bool isNorm = shape.Length == 1 && name.EndsWith("norm.weight", StringComparison.Ordinal);
            bool isEmbedding = name == TensorNames.Embedding;
            // Uniform on [-a, a] has variance a^2/3: a = sqrt(3 / fan_in) gives variance 1/fan_in.
            double a = isNorm ? 0.1 : isEmbedding ? Math.Sqrt(3) : Math.Sqrt(3.0 / shape[^1]);
            for (int i = 0; i < values.Length; i++)
            {
                double u = (2 * _rng.NextDouble() - 1) * a;
                values[i] = HalfBits.RoundTo((float)(isNorm ? 1 + u : u), storage);
            }
            return new HostTensor(name, storage, shape, values);
        }
    }
}
