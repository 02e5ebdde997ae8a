using System.Globalization;

namespace CoDesign.Schema;

/// <summary>The one place SI quantities become text for people (tables, reasons). Machine formats (JSON, CSV) keep raw SI.</summary>
public static class Units
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Seconds(double s) => s switch
    {
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
        0 => "0",
        < 1e-9 => (j * 1e12).ToString("0.##", Inv) + " pJ",
        < 1e-6 => (j * 1e9).ToString("0.##", Inv) + " nJ",
        < 1e-3 => (j * 1e6).ToString("0.##", Inv) + " µJ",
        < 1 => (j * 1e3).ToString("0.##", Inv) + " mJ",
        _ => j.ToString("0.###", Inv) + " J",
    };
    public static string Ratio(double r) => double.IsPositiveInfinity(r) ? "inf" : r.ToString(r >= 100 ? "0" : r >= 10 ? "0.#" : "0.##", Inv);
    public static string Percent(double fraction) => (fraction * 100).ToString("0.#", Inv) + " %";
    public static string Number(double x) => x.ToString(Math.Abs(x) >= 1000 ? "#,0" : "0.###", Inv);

    static string Scaled(double v, string unit, double step, string[] prefixes)
    {
        int i = 0;
        double a = Math.Abs(v);
        while (a >= step && i < prefixes.Length - 1) { a /= step; v /= step; i++; }
        return v.ToString(a >= 100 ? "0" : "0.##", Inv) + " " + prefixes[i] + unit;
    }
}
