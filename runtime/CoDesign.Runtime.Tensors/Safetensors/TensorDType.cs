using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Safetensors;

/// <summary>The safetensors element types this runtime reads and writes (the ones LLM checkpoints ship in).</summary>
public enum TensorDType { F32, F16, BF16 }

public static class TensorDTypes
{
    public static int ElementBytes(this TensorDType t) => t == TensorDType.F32 ? 4 : 2;

    /// <summary>The spelling in a safetensors header.</summary>
    public static string HeaderName(this TensorDType t) => t switch
    {
        TensorDType.F32 => "F32",
        TensorDType.F16 => "F16",
        _ => "BF16",
    };

    public static TensorDType? FromHeaderName(string s) => s switch
    {
        "F32" => TensorDType.F32,
        "F16" => TensorDType.F16,
        "BF16" => TensorDType.BF16,
        _ => null,
    };

    /// <summary>--dtype spellings: fp32/fp16/bf16 and the safetensors names.</summary>
    public static TensorDType Parse(string s, string what) => s.Trim().ToLowerInvariant() switch
    {
        "f32" or "fp32" or "float32" => TensorDType.F32,
        "f16" or "fp16" or "float16" => TensorDType.F16,
        "bf16" or "bfloat16" => TensorDType.BF16,
        _ => throw new InputException($"{what}: '{s}' is not one of fp32, fp16, bf16"),
    };

    /// <summary>
    /// Unit roundoff u = 2^-p of the type (p = stored fraction bits + 1): a value rounded to the type is within a
    /// relative u of the original. The tolerances in <see cref="Validation.Tolerances"/> are built from these.
    /// </summary>
    public static double UnitRoundoff(this TensorDType t) => t switch
    {
        TensorDType.F32 => Math.Pow(2, -24),
        TensorDType.F16 => Math.Pow(2, -11),
        _ => Math.Pow(2, -8),
    };
}
