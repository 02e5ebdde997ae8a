using System.Globalization;

namespace CoDesign.Reports;

/// <summary>RFC 4180 CSV with invariant-culture numbers in raw SI units.</summary>
public static class Csv
{
    public static void Write(TextWriter w, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        w.WriteLine(string.Join(',', header.Select(Escape)));
        foreach (var row in rows) w.WriteLine(string.Join(',', row.Select(Cell)));
    }

    public static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Escape(v.ToString() ?? ""),
    };

    public static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
