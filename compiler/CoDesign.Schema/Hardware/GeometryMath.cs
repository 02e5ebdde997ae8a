namespace CoDesign.Schema.Hardware;

/// <summary>
/// 64-bit products of memory geometry fields, checked: a user file can hold eight uint32 factors whose product
/// wraps a ulong (or wraps to zero and divides by it). An overflow is bad input naming the field that overflowed.
/// </summary>
public static class GeometryMath
{
    /// <summary>The product of <paramref name="factors"/>; throws <see cref="InputException"/> naming the first
    /// factor at which the running product leaves 64 bits.</summary>
    public static ulong Product(string where, params (string Field, ulong Value)[] factors)
    {
        ulong p = 1;
        foreach (var (field, value) in factors)
        {
            try { p = checked(p * value); }
            catch (OverflowException)
            {
                throw new InputException($"{where}: memory geometry overflows 64 bits at {field} = {value} " +
                    $"({string.Join(" x ", factors.Select(f => f.Field))}); lower it to a real device's size");
            }
        }
        return p;
    }
}
