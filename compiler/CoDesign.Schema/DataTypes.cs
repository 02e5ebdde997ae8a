using CoDesign.Schema.V1;

namespace CoDesign.Schema;

/// <summary>The one place element sizes and names of <see cref="DataType"/> are defined.</summary>
public static class DataTypes
{
    public static double SizeBytes(this DataType type) => type switch
    {
        DataType.Fp32 => 4,
        DataType.Fp16 or DataType.Bf16 => 2,
        DataType.Fp8 or DataType.Int8 => 1,
        DataType.Int4 => 0.5,
        _ => throw new InputException($"data type {type} has no size"),
    };

    public static string ShortName(this DataType type) => type switch
    {
        DataType.Fp32 => "fp32",
        DataType.Fp16 => "fp16",
        DataType.Bf16 => "bf16",
        DataType.Fp8 => "fp8",
        DataType.Int8 => "int8",
        DataType.Int4 => "int4",
        _ => "unspecified",
    };

    public static readonly string[] Names = ["fp32", "fp16", "bf16", "fp8", "int8", "int4"];

    public static DataType Parse(string name, string what) => name.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" or "f32" => DataType.Fp32,
        "fp16" or "float16" or "f16" or "half" => DataType.Fp16,
        "bf16" or "bfloat16" => DataType.Bf16,
        "fp8" or "float8" or "float8_e4m3fn" or "float8_e5m2" => DataType.Fp8,
        "int8" => DataType.Int8,
        "int4" => DataType.Int4,
        _ => throw new InputException($"{what}: unknown data type '{name}' (expected one of {string.Join(", ", Names)})"),
    };
}
