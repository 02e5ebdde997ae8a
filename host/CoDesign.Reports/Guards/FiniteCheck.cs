using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace CoDesign.Reports.Guards;

/// <summary>
/// The output writers' guard: no verb prints NaN or Infinity. <see cref="Object"/> walks a value before it is
/// serialised and names the first non-finite field by its JSON path; <see cref="Cell"/> (table cells) and
/// <see cref="Marked"/> (stdout, text files) find the marked tokens <see cref="Schema.Units"/> writes for a non-finite value.
/// </summary>
public static partial class FiniteCheck
{
    const int MaxDepth = 32;

    public static void Object(object? value, string path = "$")
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(value, path, 0, seen);
    }

    static void Walk(object? v, string path, int depth, HashSet<object> seen)
    {
        switch (v)
        {
            case string s: Cell(s, path); return;
            case null or bool or decimal or Enum: return;
            case double d: if (!double.IsFinite(d)) throw new NonFiniteOutputException(path, d); return;
            case float f: if (!float.IsFinite(f)) throw new NonFiniteOutputException(path, f); return;
            case IConvertible: return;   // integers, chars, dates
        }
        var type = v.GetType();
        if (type.IsValueType && type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && !type.IsGenericType) return;
        if (depth > MaxDepth || (!type.IsValueType && !seen.Add(v))) return;
        switch (v)
        {
            case IDictionary dict:
                foreach (DictionaryEntry e in dict) Walk(e.Value, $"{path}.{e.Key}", depth + 1, seen);
                return;
            case IEnumerable list:
                int i = 0;
                foreach (var e in list) Walk(e, $"{path}[{i++}]", depth + 1, seen);
                return;
        }
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || !p.CanRead) continue;
            Walk(p.GetValue(v), $"{path}.{JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)}", depth + 1, seen);
        }
    }

    public static void Number(double v, string field)
    {
        if (!double.IsFinite(v)) throw new NonFiniteOutputException(field, v);
    }

    /// <summary>
    /// Finished text (stdout, a text file): a value <see cref="Schema.Units"/> formatted while non-finite is a bug; the
    /// exception names the line and quotes it. Only marked tokens count, so a user's text that spells "NaN" passes.
    /// </summary>
    public static void Marked(string text, string what)
    {
        int at = text.IndexOf(Schema.Units.NonFiniteMark);
        if (at < 0) return;
        int line = 1 + text.AsSpan(0, at).Count('\n');
        int start = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        int end = text.IndexOf('\n', at);
        var content = text[start..(end < 0 ? text.Length : end)].Trim();
        throw new NonFiniteOutputException($"{what} line {line} ({Schema.Validation.InputText.Quote(Unmark(content))})", ValueAt(text, at));
    }

    /// <summary>One table cell or string field: the exception names it.</summary>
    public static void Cell(string cell, string field)
    {
        int at = cell.IndexOf(Schema.Units.NonFiniteMark);
        if (at >= 0) throw new NonFiniteOutputException(field, ValueAt(cell, at));
    }

    static double ValueAt(string s, int at) =>
        s.AsSpan(at).StartsWith(Schema.Units.NonFiniteMark + "NaN") ? double.NaN : s.AsSpan(at).StartsWith(Schema.Units.NonFiniteMark + "-") ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>
    /// Text with no user strings in it: any NaN, Infinity or ∞ token (marked or not) is a bug; names the line.
    /// Output that may echo user text uses <see cref="Marked"/> instead, since a user may name something "NaN".
    /// </summary>
    public static void Text(string text, string what)
    {
        var m = NonFiniteToken().Match(text);
        if (!m.Success) return;
        int line = 1 + text.AsSpan(0, m.Index).Count('\n');
        int start = text.LastIndexOf('\n', Math.Max(0, m.Index - 1)) + 1;
        int end = text.IndexOf('\n', m.Index);
        var content = text[start..(end < 0 ? text.Length : end)].Trim();
        throw new NonFiniteOutputException($"{what} line {line} ({Schema.Validation.InputText.Quote(Unmark(content))})", m.Value.Contains('N') ? double.NaN : double.PositiveInfinity);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![A-Za-z0-9_])(NaN|[-+]?Infinity|[-+]?∞)(?![A-Za-z0-9_])")]
    private static partial System.Text.RegularExpressions.Regex NonFiniteToken();

    static string Unmark(string s) => s.Replace(Schema.Units.NonFiniteMark.ToString(), "", StringComparison.Ordinal);
}
