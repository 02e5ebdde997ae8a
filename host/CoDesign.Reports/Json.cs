using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoDesign.Reports.Guards;

namespace CoDesign.Reports;

/// <summary>JSON output: snake_case keys, raw SI numbers, stable key order (declaration order).</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write<T>(TextWriter w, T value) => w.WriteLine(Serialize(value));

    /// <summary>Refuses (as an internal error naming the field) a value holding NaN or an infinity: no output shows one.</summary>
    public static string Serialize<T>(T value, bool indented = true)
    {
        FiniteCheck.Object(value);
        return JsonSerializer.Serialize(value, indented ? Options : Compact);
    }

    static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };
}
