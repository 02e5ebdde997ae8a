using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CoDesign.Cli.Tests.Fuzz;

/// <summary>
/// Seeded generators of the mistakes a new user makes: edge and absurd numbers, wrong types, broken strings,
/// binary garbage. Raw JSON tokens, so values JSON cannot build (1e400, a lone surrogate escape) are possible.
/// </summary>
sealed class FuzzValues(int seed)
{
    public readonly Random Rng = new(seed);

    static readonly string[] NumberTokens =
    [
        "0", "-0", "1", "-1", "2", "3.5", "-3.5", "1e-320", "1e-30", "1e-9", "1e6", "1e9", "1e12", "1e15", "1e18", "1e30", "1e308", "-1e308", "1e400", "-1e400",
        "4294967295", "4294967296", "2147483647", "2147483648", "-2147483649", "9007199254740993", "18446744073709551615", "18446744073709551616",
        "65535", "65536", "1023", "1024", "1025", "0.5", "0.999", "1.000001", "7", "8", "4096", "1048576", "3e9",
    ];

    static readonly string[] OtherTokens =
    [
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e3\"", "\"abc\"", "\"\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "null", "true", "false", "[]", "{}", "[1, 2]",
        "{\"a\": 1}", "\"" + new string('x', 5000) + "\"", "\"\\u001b[31m\"",
    ];

    public T Pick<T>(IReadOnlyList<T> xs) => xs[Rng.Next(xs.Count)];

    /// <summary>A bad or edge value as a raw JSON token: mostly numbers, sometimes a wrong type.</summary>
    /// <param name="forString">The value replaced a string: then no "NaN"/"Infinity" string, which a reader may rightly echo as text.</param>
    public string Token(bool forString = false)
    {
        if (Rng.NextDouble() < 0.7) return Pick(NumberTokens);
        var t = Pick(OtherTokens);
        return forString && t is "\"NaN\"" or "\"Infinity\"" or "\"-Infinity\"" ? "\"abc\"" : t;
    }

    /// <summary>A value for a command-line option.</summary>
    public string Arg()
    {
        string[] xs = ["0", "-1", "1", "2", "3", "7", "64", "1e3", "3e9", "1e308", "-1e308", "NaN", "Infinity", "-Infinity", "4294967295", "2147483648",
            "1000000000", "65537", "1048577", "0.5", "", " ", "abc", "\u0001", "\ud800", new string('9', 400), "1,2", "--x"];
        return Pick(xs);
    }

    /// <summary>Replaces one (sometimes two or three) leaves of a JSON document with bad tokens, or deletes one.</summary>
    public string MutateJson(string json)
    {
        var root = JsonNode.Parse(json)!;
        var leaves = new List<(JsonNode Parent, object Key)>();
        Collect(root, leaves);
        var marks = new Dictionary<string, string>();
        int edits = Rng.NextDouble() < 0.8 ? 1 : Rng.Next(2, 4);
        for (int i = 0; i < edits && leaves.Count > 0; i++)
        {
            var (parent, key) = Pick(leaves);
            if (Rng.NextDouble() < 0.1)
            {
                if (parent is JsonObject o) o.Remove((string)key);
                continue;
            }
            string mark = $"@@FUZZ{i}@@";
            var old = parent is JsonObject po ? po[(string)key] : ((JsonArray)parent)[(int)key];
            marks[mark] = Token(forString: old is JsonValue jv && jv.GetValueKind() == System.Text.Json.JsonValueKind.String);
            if (parent is JsonObject obj) obj[(string)key] = mark;
            else ((JsonArray)parent)[(int)key] = mark;
        }
        var text = root.ToJsonString();
        foreach (var (mark, token) in marks) text = text.Replace($"\"{mark}\"", token, StringComparison.Ordinal);
        return text;
    }

    static void Collect(JsonNode node, List<(JsonNode, object)> leaves)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                    if (v is JsonObject or JsonArray) Collect(v, leaves); else leaves.Add((o, k));
                break;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                    if (a[i] is JsonObject or JsonArray) Collect(a[i]!, leaves); else leaves.Add((a, i));
                break;
        }
    }

    /// <summary>Random bytes, sometimes starting like JSON or CSV, so readers get past their first check.</summary>
    public byte[] Garbage(int maxLength = 4096)
    {
        var bytes = new byte[Rng.Next(0, maxLength)];
        Rng.NextBytes(bytes);
        string[] prefixes = ["", "{", "{\"a\":", "[", "arrival_s,input_len,output_len\n", "\uFEFF"];
        return [.. Encoding.UTF8.GetBytes(Pick(prefixes)), .. bytes];
    }

    public string Number(double lo, double hi) => (lo + Rng.NextDouble() * (hi - lo)).ToString("R", CultureInfo.InvariantCulture);
}
