using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoDesign.Reports.Guards;

/// <summary>
/// The output writers' guard: no verb prints NaN or Infinity. <see cref="Object"/> walks a value before it is
/// serialised and names the first non-finite field by its JSON path; <see cref="Text"/> is the last line of
/// defence over finished text (tables, free-form lines), naming the line.
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
            case null or string or bool or decimal or Enum: return;
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

    /// <summary>Finished text: a NaN, Infinity or ∞ token anywhere is a bug; the exception names the line.</summary>
    public static void Text(string text, string what)
    {
        var m = NonFinite().Match(text);
        if (!m.Success) return;
        int line = 1 + text.AsSpan(0, m.Index).Count('\n');
        int start = text.LastIndexOf('\n', Math.Max(0, m.Index - 1)) + 1;
        int end = text.IndexOf('\n', m.Index);
        var content = text[start..(end < 0 ? text.Length : end)].Trim();
        throw new NonFiniteOutputException($"{what} line {line} ({Schema.Validation.InputText.Quote(content)})", m.Value.Contains('N') ? double.NaN : double.PositiveInfinity);
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(NaN|[-+]?Infinity|[-+]?∞)(?![A-Za-z0-9_])")]
    private static partial Regex NonFinite();
}
