using System.Globalization;
using CoDesign.Reports.Guards;

namespace CoDesign.Reports;

/// <summary>RFC 4180 CSV with invariant-culture numbers in raw SI units.</summary>
public static class Csv
{
    public static void Write(TextWriter w, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        // Built whole first: a bad cell (an internal bug) leaves nothing half-written.
        var sb = new System.Text.StringBuilder();
        sb.Append(string.Join(',', header.Select(Escape))).Append('\n');
        int r = 0;
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Count; c++)
                if (row[c] is double d && !double.IsFinite(d) || row[c] is float f && !float.IsFinite(f))
                    throw new NonFiniteOutputException($"{(c < header.Count ? header[c] : $"column {c + 1}")} (row {r + 1})", Convert.ToDouble(row[c], CultureInfo.InvariantCulture));
            sb.Append(string.Join(',', row.Select(Cell))).Append('\n');
            r++;
        }
        w.Write(sb.ToString().ReplaceLineEndings(w.NewLine));
    }

    public static string Cell(object? v) => v switch
    {
        null => "",
        double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : throw new NonFiniteOutputException("a CSV cell", d),
        float f => float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : throw new NonFiniteOutputException("a CSV cell", f),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Escape(v.ToString() ?? ""),
    };

    public static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
