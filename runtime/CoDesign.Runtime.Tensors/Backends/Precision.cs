using CoDesign.Runtime.Tensors.Safetensors;

namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>
/// A backend's arithmetic as unit roundoffs: Operand is the format activations (and KV) are rounded to before
/// they enter a product; Accumulator the format sums are kept in. Weights are used exactly as stored, except
/// where a backend says otherwise in its Operand. Validation tolerances are built from these two numbers.
/// </summary>
public readonly record struct Precision(double Operand, double Accumulator)
{
    public static readonly Precision Float64 = new(Math.Pow(2, -53), Math.Pow(2, -53));
    public static readonly Precision Float32 = Of(TensorDType.F32, TensorDType.F32);

    public static Precision Of(TensorDType operand, TensorDType accumulator) => new(operand.UnitRoundoff(), accumulator.UnitRoundoff());

    /// <summary>The coarser of two, component by component (for quantities that pass through both sides).</summary>
    public static Precision Max(Precision a, Precision b) => new(Math.Max(a.Operand, b.Operand), Math.Max(a.Accumulator, b.Accumulator));

    public override string ToString() => $"operands u={Operand:0.00e+0}, accumulation u={Accumulator:0.00e+0}";
}
