using System.Globalization;

namespace CoDesign.Schema.Validation;

/// <summary>
/// An allowed range for one numeric input field: finite, within [Min, Max] (or (Min, Max] when
/// <see cref="MinExclusive"/>), and a whole number when <see cref="Integer"/>. The message of a violation names
/// the field, quotes the value and states the range, so every reader reports it the same way.
/// </summary>
public sealed record Limit(double Min, double Max, string Unit = "", bool MinExclusive = false, bool Integer = false)
{
    public static Limit Int(long min, long max, string unit = "") => new(min, max, unit, Integer: true);
    public static Limit Positive(double max, string unit) => new(0, max, unit, MinExclusive: true);
    public static Limit NonNegative(double max, string unit) => new(0, max, unit);

    public bool Allows(double v) =>
        double.IsFinite(v) && (MinExclusive ? v > Min : v >= Min) && v <= Max && (!Integer || v == Math.Floor(v));

    /// <summary>"(0, 1e+18] FLOP/s", "integer in [1, 1024]".</summary>
    public string Text =>
        (Integer ? "an integer in " : "a finite number in ") + (MinExclusive ? "(" : "[") + Show(Min) + ", " + Show(Max) + "]" + (Unit.Length > 0 ? " " + Unit : "");

    /// <summary>Throws an <see cref="InputException"/>: "{where}: {field} = {value} is outside the allowed range …".</summary>
    public void Check(double v, string field, string where)
    {
        if (!Allows(v)) throw new InputException($"{where}: {field} = {InputText.Number(v)} is not allowed (expected {Text})");
    }

    static string Show(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e16 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);
}
