using System.Text.RegularExpressions;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;
using CoDesign.Schema.Quantization;
using CoDesign.Schema.V1;
using CoDesign.Schema.Validation;

namespace CoDesign.Runtime.Tensors.Quantization;

/// <summary>
/// GPTQ checkpoints as Hugging Face (Transformers' GPTQ integration, AutoGPTQ, GPTQModel) lays them out: each quantised
/// Linear <c>P.weight</c> is replaced by <c>P.qweight</c> (I32), <c>P.qzeros</c> (I32), <c>P.scales</c> (F16) and
/// <c>P.g_idx</c> (I32, the group of each input row), with config.json's <c>quantization_config</c> giving bits and
/// group_size (layout in <see cref="GptqWeight"/>). Quantised are the attention projections and the FFN and expert
/// matrices; embeddings, norms, the router, the shared-expert gate and the LM head stay in float, as those tools leave
/// them by default. We read the v1 format (<c>checkpoint_format</c> "gptq" or unstated) with groups in input order;
/// act-order checkpoints (<c>desc_act</c>, a permuted g_idx), GPTQ v2, AWQ and FP8 are refused with one line.
/// </summary>
public static partial class GptqCheckpoint
{
    public const string Method = "gptq";

    public sealed record Layout(int Bits, int GroupSize);

    [GeneratedRegex(@"^model\.layers\.\d+\.(self_attn\.[qkvo]_proj|mlp\.(gate|up|down)_proj|mlp\.experts\.\d+\.(gate|up|down)_proj|mlp\.shared_expert\.(gate|up|down)_proj|block_sparse_moe\.experts\.\d+\.w[123])\.weight$")]
    private static partial Regex QuantisedName();

    /// <summary>Whether a checkpoint quantises the tensor of that name (a linear layer inside a decoder layer, not the router).</summary>
    public static bool IsQuantised(string name) => QuantisedName().IsMatch(name);

    static string Base(string name) => name[..^".weight".Length];

    /// <summary>
    /// The layout a config's quantization_config asks for, null when the weights are float; a quantised layout the
    /// tensor runtime does not read is an <see cref="InputException"/> naming it.
    /// </summary>
    public static Layout? LayoutOf(ModelConfig c)
    {
        var f = WeightFormat.Of(c);
        if (!f.IsQuantised) return null;
        string method = c.QuantMethod.Length == 0 ? "unnamed" : c.QuantMethod;
        string Refuse(string what) => $"model {c.Name}: {what} (quantization_config) is not read by the tensor runtime (run/validate read GPTQ v1 " +
            "int4/int8 checkpoints); analyze, compile and simulate model it as usual";
        if (method != Method || f.Type is not (DataType.Int4 or DataType.Int8)) throw new InputException(Refuse($"{method} {f.Label} weights"));
        if (c.QuantCheckpointFormat is not ("" or Method)) throw new InputException(Refuse($"GPTQ checkpoint_format {InputText.Quote(c.QuantCheckpointFormat)}"));
        return new Layout(f.Type == DataType.Int4 ? 4 : 8, (int)f.GroupSize);
    }

    /// <summary>
    /// Reads the four GPTQ tensors of linear <paramref name="name"/> (shape [N, K]) through <paramref name="find"/>
    /// (the shard that holds a tensor, or null) and returns the weight with its bit-exact dequantisation as values.
    /// </summary>
    public static HostTensor Read(string name, int[] shape, Layout layout, Func<string, SafetensorsReader.Shard?> find, string origin)
    {
        string b = Base(name);
        int n = shape[0], k = shape[1], group = layout.GroupSize == 0 ? k : layout.GroupSize, perWord = 32 / layout.Bits;
        if (k % group != 0) throw new InputException($"{origin}: GPTQ group_size {group} does not divide in_features {k} of '{b}'");
        if (k % perWord != 0 || n % perWord != 0)
            throw new InputException($"{origin}: '{b}' of shape {HostTensor.ShapeText(shape)} cannot be packed {perWord} per int32 ({layout.Bits}-bit GPTQ)");
        int groups = k / group;
        SafetensorsReader.Shard Need(string suffix, int[] want)
        {
            var t = b + suffix;
            var shard = find(t) ?? throw new InputException($"{origin}: GPTQ tensor '{t}' is missing (its qweight is present)");
            var got = shard.EntryOf(t).Shape;
            if (!got.SequenceEqual(want))
                throw new InputException($"{origin}: GPTQ tensor '{t}' has shape {HostTensor.ShapeText(got)}, expected {HostTensor.ShapeText(want)} " +
                    $"for a [{n}, {k}] linear, {layout.Bits} bits, group size {group}");
            return shard;
        }
        var qweight = Need(".qweight", [k / perWord, n]).ReadInt32(b + ".qweight");
        var qzeros = Need(".qzeros", [groups, n / perWord]).ReadInt32(b + ".qzeros");
        var scales = Need(".scales", [groups, n]).ReadF16Bits(b + ".scales");
        if (find(b + ".g_idx") is not null)
        {
            var gIdx = Need(".g_idx", [k]).ReadInt32(b + ".g_idx");
            for (int i = 0; i < k; i++)
                if (gIdx[i] != i / group)
                    throw new InputException($"{origin}: '{b}.g_idx' puts input row {i} in group {gIdx[i]}, not {i / group}: act-order (desc_act) GPTQ " +
                        "checkpoints are not read by the tensor runtime");
        }
        int bad = Array.FindIndex(scales, s => !float.IsFinite(HalfBits.F16ToFloat(s)));
        if (bad >= 0) throw new InputException($"{origin}: '{b}.scales' holds a non-finite scale at element {bad}");
        var gw = new GptqWeight(layout.Bits, n, k, group, qweight, qzeros, scales);
        return FromGptq(name, gw);
    }

    public static HostTensor FromGptq(string name, GptqWeight gw) =>
        new(name, TensorDType.F32, [gw.OutFeatures, gw.InFeatures], gw.Dequantise()) { Gptq = gw };

    /// <summary>The tensors a checkpoint stores for a quantised weight, in the order GPTQ writers emit them.</summary>
    public static IEnumerable<RawTensor> Tensors(HostTensor t)
    {
        var g = t.Gptq ?? throw new ArgumentException($"tensor {t.Name} is not quantised");
        int perWord = 32 / g.Bits, groups = g.InFeatures / g.GroupSize;
        string b = Base(t.Name);
        yield return RawTensor.Int32(b + ".qweight", [g.InFeatures / perWord, g.OutFeatures], g.QWeight);
        yield return RawTensor.Int32(b + ".qzeros", [groups, g.OutFeatures / perWord], g.QZeros);
        yield return RawTensor.F16Bits(b + ".scales", [groups, g.OutFeatures], g.Scales);
        yield return RawTensor.Int32(b + ".g_idx", [g.InFeatures], [.. Enumerable.Range(0, g.InFeatures).Select(i => i / g.GroupSize)]);
    }

    /// <summary>
    /// The same model with every quantisable linear weight quantised round-to-nearest (<see cref="GptqWeight.Quantise"/>);
    /// the config says int4/int8 with the group size (0: one group per column, GPTQ's group_size -1).
    /// </summary>
    public static ModelWeights Quantise(ModelWeights w, int bits, int groupSize)
    {
        if (bits is not (4 or 8)) throw new InputException($"GPTQ bits {bits} is not 4 or 8");
        var config = w.Config.Clone();
        config.WeightType = bits == 4 ? DataType.Int4 : DataType.Int8;
        config.QuantGroupSize = (uint)groupSize;
        config.QuantMethod = Method;
        config.QuantCheckpointFormat = Method;
        WeightFormat.Of(config).CheckDivides(config);
        var byName = RandomModel.AllTensors(w).ToDictionary(t => t.Name, StringComparer.Ordinal);
        return ModelAssembler.Build(config, new QuantisingSource(byName, bits, groupSize), w.Origin + $", GPTQ int{bits} " +
            (groupSize == 0 ? "per channel" : $"g{groupSize}"));
    }

    sealed class QuantisingSource(Dictionary<string, HostTensor> byName, int bits, int groupSize) : ITensorSource
    {
        public bool Has(string name) => byName.ContainsKey(name);

        public HostTensor Get(string name, int[] shape)
        {
            var t = byName[name];
            if (!IsQuantised(name)) return t;
            int n = t.Rows, k = t.Cols;
            return FromGptq(name, GptqWeight.Quantise(t.Values, n, k, bits, groupSize == 0 ? k : groupSize));
        }
    }
}
