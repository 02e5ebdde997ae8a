namespace CoDesign.Reports.Guards;

/// <summary>
/// A result about to be printed holds NaN or an infinity. Inputs are range-checked, so this is an internal
/// bug: the CLI reports it as an internal error (exit 1) naming the field, and prints nothing.
/// </summary>
public sealed class NonFiniteOutputException(string field, double value)
    : Exception($"output field '{field}' would be {(double.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity")}")
{
    public string Field { get; } = field;
}
