using System.Globalization;

namespace CoDesign.Schema;

/// <summary>The one place SI quantities become text for people (tables, reasons). Machine formats (JSON, CSV) keep raw SI.</summary>
/// <remarks>
/// No output may show NaN or Infinity (docs/input-limits.md). A non-finite value is formatted as a token bracketed by
/// <see cref="NonFiniteMark"/>, a Unicode noncharacter no input text holds, so the output guard (Reports/Guards/FiniteCheck)
/// finds it where text is written (table cells by column and row, stdout and text files by line) and ends the run as an
/// internal error, while a user's own text that spells "NaN" passes.
/// </remarks>
public static class Units
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>U+FDD0, a noncharacter (Unicode §23.7): never in text a user or model gives us.</summary>
    public const char NonFiniteMark = '\uFDD0';

    /// <summary>The marked token a non-finite value becomes; the guard refuses any text that holds one.</summary>
    public static string NonFinite(double v) => $"{NonFiniteMark}{(double.IsNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity")}{NonFiniteMark}";

    /// <summary>A number in a caller's .NET format (for fits and fixed-width fields), with the same guard mark.</summary>
    public static string Fixed(double x, string format) => double.IsFinite(x) ? x.ToString(format, Inv) : NonFinite(x);

    public static string Seconds(double s) => s switch
    {
        _ when !double.IsFinite(s) => NonFinite(s),
        0 => "0",
        < 1e-6 => (s * 1e9).ToString("0.##", Inv) + " ns",
        < 1e-3 => (s * 1e6).ToString("0.##", Inv) + " µs",
        < 1 => (s * 1e3).ToString("0.##", Inv) + " ms",
        _ => s.ToString("0.###", Inv) + " s",
    };

    public static string Bytes(double b) => Scaled(b, "B", 1024, ["", "Ki", "Mi", "Gi", "Ti", "Pi"]);
    public static string Flops(double f) => Scaled(f, "FLOP", 1000, ["", "K", "M", "G", "T", "P", "E"]);
    public static string FlopsPerSecond(double f) => Scaled(f, "FLOP/s", 1000, ["", "K", "M", "G", "T", "P", "E"]);
    public static string BytesPerSecond(double b) => Scaled(b, "B/s", 1000, ["", "K", "M", "G", "T", "P"]);
    public static string Joules(double j) => j switch
    {
        _ when !double.IsFinite(j) => NonFinite(j),
        0 => "0",
        < 1e-9 => (j * 1e12).ToString("0.##", Inv) + " pJ",
        < 1e-6 => (j * 1e9).ToString("0.##", Inv) + " nJ",
        < 1e-3 => (j * 1e6).ToString("0.##", Inv) + " µJ",
        < 1 => (j * 1e3).ToString("0.##", Inv) + " mJ",
        _ => j.ToString("0.###", Inv) + " J",
    };
    /// <summary>A ratio; +Infinity (a zero denominator, e.g. the Op/B of an operator that moves no bytes) shows as "-",
    /// as the CSV leaves it empty.</summary>
    public static string Ratio(double r) => double.IsPositiveInfinity(r) ? "-" : !double.IsFinite(r) ? NonFinite(r) : r.ToString(r >= 100 ? "0" : r >= 10 ? "0.#" : "0.##", Inv);
    public static string Percent(double fraction) => double.IsFinite(fraction) ? (fraction * 100).ToString("0.#", Inv) + " %" : NonFinite(fraction);
    public static string Number(double x) => double.IsFinite(x) ? x.ToString(Math.Abs(x) >= 1000 ? "#,0" : "0.###", Inv) : NonFinite(x);

    static string Scaled(double v, string unit, double step, string[] prefixes)
    {
        if (!double.IsFinite(v)) return NonFinite(v);
        int i = 0;
        double a = Math.Abs(v);
        while (a >= step && i < prefixes.Length - 1) { a /= step; v /= step; i++; }
        return v.ToString(a >= 100 ? "0" : "0.##", Inv) + " " + prefixes[i] + unit;
    }
}
