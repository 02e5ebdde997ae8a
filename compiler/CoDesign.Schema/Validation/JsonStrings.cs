using System.Text.Json;

namespace CoDesign.Schema.Validation;

/// <summary>
/// A JSON document may escape a lone UTF-16 surrogate ("\ud800"), which parses but cannot become a .NET
/// string. Readers call <see cref="Check"/> once after parsing so that surfaces as bad input naming the path.
/// </summary>
public static class JsonStrings
{
    /// <summary>Our cap on nesting and on the count of values, so a pathological document is refused quickly.</summary>
    public const int MaxValues = 1_000_000;

    public static void Check(JsonElement root, string where)
    {
        int count = 0;
        Walk(root, "$", where, ref count);
    }

    static void Walk(JsonElement e, string path, string where, ref int count)
    {
        if (++count > MaxValues) throw new InputException($"{where}: more than {MaxValues} JSON values");
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                if (!Valid(e)) throw new InputException($"{where}: {path} holds an invalid string (a lone UTF-16 surrogate escape such as \\ud800)");
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    string name;
                    try { name = p.Name; }
                    catch (InvalidOperationException) { throw new InputException($"{where}: a key in {path} is an invalid string (a lone UTF-16 surrogate escape)"); }
                    Walk(p.Value, path + "." + InputText.Escape(name, 40), where, ref count);
                }
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var v in e.EnumerateArray()) Walk(v, $"{path}[{i++}]", where, ref count);
                break;
        }
    }

    static bool Valid(JsonElement e)
    {
        try { _ = e.GetString(); return true; }
        catch (InvalidOperationException) { return false; }
    }
}
