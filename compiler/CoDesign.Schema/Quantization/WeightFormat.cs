using CoDesign.Schema.V1;

namespace CoDesign.Schema.Quantization;

/// <summary>
/// How a model's linear-layer weights are stored: element type plus, for quantised types, one FP16 scale
/// (and for integer types one zero point) per group of <see cref="GroupSize"/> weights along the input
/// dimension K of every output column. This is the GPTQ/AWQ layout (AutoGPTQ and AutoAWQ store
/// <c>scales</c> as float16 and <c>qzeros</c> packed at the weight width); FP8 checkpoints are symmetric
/// (a scale, no zero point). Norms, the router, embeddings and the LM head stay at the activation type,
/// as those tools leave them unquantised by default.
/// </summary>
public sealed record WeightFormat(DataType Type, uint GroupSize, DataType UnquantisedType)
{
    /// <summary>GPTQ's and AWQ's default q_group_size (AutoGPTQ BaseQuantizeConfig, AutoAWQ quant_config).</summary>
    public const uint DefaultIntGroupSize = 128;

    /// <summary>Bytes of one scale: float16 in GPTQ, AWQ and FP8 (compressed-tensors) checkpoints.</summary>
    public const double ScaleBytes = 2;

    public bool IsQuantised => Type is DataType.Int4 or DataType.Int8 or DataType.Fp8;

    /// <summary>Zero-point bytes per group: packed at the weight's own width for integers, none for FP8.</summary>
    public double ZeroPointBytes => Type switch { DataType.Int4 => 0.5, DataType.Int8 => 1, _ => 0 };

    /// <summary>Bytes of scale and zero point that every group carries.</summary>
    public double MetadataBytesPerGroup => IsQuantised ? ScaleBytes + ZeroPointBytes : 0;

    /// <summary>The resolved format of a model: its weight type and group size (defaults filled in).</summary>
    public static WeightFormat Of(ModelConfig m)
    {
        var type = m.WeightType == DataType.Unspecified ? DataType.Fp16 : m.WeightType;
        var act = m.ActivationType == DataType.Unspecified ? DataType.Fp16 : m.ActivationType;
        uint group = m.HasQuantGroupSize ? m.QuantGroupSize : type == DataType.Fp8 ? 0 : DefaultIntGroupSize;
        var f = new WeightFormat(type, group, act);
        return f.IsQuantised ? f : f with { GroupSize = 0, UnquantisedType = type };
    }

    /// <summary>Weights per group for a matrix with input dimension <paramref name="k"/> (0 = per output channel).</summary>
    public double Group(double k) => GroupSize == 0 ? k : GroupSize;

    /// <summary>Bytes of a K x N linear weight: elements plus ceil(K / group) groups of metadata per column.</summary>
    public double LinearBytes(double k, double n) =>
        k * n * Type.SizeBytes() + (IsQuantised ? n * Math.Ceiling(k / Group(k)) * MetadataBytesPerGroup : 0);

    /// <summary>Average bytes per weight of a matrix with input dimension <paramref name="k"/>.</summary>
    public double BytesPerWeight(double k) => LinearBytes(k, 1) / k;

    /// <summary>Elements that must be dequantised before the MACs: every weight of a quantised matrix.</summary>
    public double DequantElements(double k, double n) => IsQuantised ? k * n : 0;

    /// <summary>Bytes per element of the weights that stay unquantised (norms, router, embeddings, LM head).</summary>
    public double UnquantisedBytes => UnquantisedType.SizeBytes();

    /// <summary>Short label, e.g. "int4 g128", "fp8 per-channel", "fp16".</summary>
    public string Label => !IsQuantised ? Type.ShortName() : GroupSize == 0 ? $"{Type.ShortName()} per-channel" : $"{Type.ShortName()} g{GroupSize}";

    /// <summary>
    /// Every input dimension K of the model's linear layers must be a multiple of the group size, as GPTQ and
    /// AWQ require (a partial last group has no defined layout in their checkpoints).
    /// </summary>
    public void CheckDivides(ModelConfig m)
    {
        if (!IsQuantised || GroupSize == 0) return;
        var dims = new List<(string What, uint K)> { ("hidden_size", m.HiddenSize) };
        if (m.Mla is null) dims.Add(("num_attention_heads x head_dim", m.NumAttentionHeads * m.HeadDim));
        if (m.NumExperts == 0 || m.MoeLayers.Any(x => !x)) dims.Add(("intermediate_size", m.IntermediateSize));
        if (m.NumExperts > 0) dims.Add(("moe_intermediate_size", m.ExpertIntermediateSize));
        if (m.NumSharedExperts > 0) dims.Add(("shared_expert_intermediate_size", m.SharedExpertIntermediateSize));
        foreach (var (what, k) in dims)
            if (k > 0 && k % GroupSize != 0)
                throw new InputException($"{Setting.Ref("group_size")} {GroupSize} does not divide K = {k} ({what}) of model '{m.Name}'");
    }
}
