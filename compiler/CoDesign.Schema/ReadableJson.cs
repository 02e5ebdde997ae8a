using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CoDesign.Schema;

/// <summary>
/// Protobuf JSON that people edit: enum values by their short name ("gpu", "fp16" rather than PROCESSOR_KIND_GPU),
/// 64-bit integers as numbers (protobuf JSON writes them as strings), and '&lt;', '&gt;', '&amp;' written as themselves.
/// Reading accepts both the short and the full enum names, so files written before keep loading.
/// </summary>
public static class ReadableJson
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(IMessage message)
    {
        var proto = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(false)).Format(message);
        var node = JsonNode.Parse(proto)!;
        Walk(node, message.Descriptor, toShort: true, path: "");
        return node.ToJsonString(Indented);
    }

    /// <summary>The same document with short enum names expanded, ready for <see cref="JsonParser"/>.</summary>
    public static string ToProtoJson(JsonNode root, MessageDescriptor descriptor)
    {
        Walk(root, descriptor, toShort: false, path: "");
        return root.ToJsonString();
    }

    /// <summary>"PROCESSOR_KIND_" for ProcessorKind: the prefix protobuf style puts on every value.</summary>
    public static string Prefix(EnumDescriptor e) =>
        string.Concat(e.Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString())) + "_";

    public static string ShortName(EnumValueDescriptor v)
    {
        var prefix = Prefix(v.EnumDescriptor);
        return (v.Name.StartsWith(prefix, StringComparison.Ordinal) ? v.Name[prefix.Length..] : v.Name).ToLowerInvariant();
    }

    static void Walk(JsonNode? node, MessageDescriptor d, bool toShort, string path)
    {
        if (node is not JsonObject o) return;
        foreach (var (key, value) in o.ToList())
        {
            var f = d.Fields.InDeclarationOrder().FirstOrDefault(x => x.JsonName == key || x.Name == key);
            if (f is null || value is null) continue;
            string here = path.Length == 0 ? key : $"{path}.{key}";
            // Convert returns a new node only for a changed scalar; a node that has a parent cannot be re-assigned.
            if (f.IsRepeated && value is JsonArray arr)
            {
                for (int i = 0; i < arr.Count; i++)
                    if (Convert(arr[i], f, toShort, $"{here}[{i}]") is { } changed) arr[i] = changed;
            }
            else if (Convert(value, f, toShort, here) is { } changed) o[key] = changed;
        }
    }

    static JsonNode? Convert(JsonNode? value, FieldDescriptor f, bool toShort, string path)
    {
        if (value is null) return null;
        switch (f.FieldType)
        {
            case FieldType.Message:
                Walk(value, f.MessageType, toShort, path);
                return null;
            case FieldType.Enum when value is JsonValue v && v.TryGetValue(out string? name):
                var values = f.EnumType.Values;
                var match = values.FirstOrDefault(x => x.Name == name) ?? values.FirstOrDefault(x => ShortName(x) == name.ToLowerInvariant())
                    ?? throw new InputException($"field '{path}': '{name}' is not one of {string.Join(", ", values.Skip(1).Select(ShortName))}");
                return JsonValue.Create(toShort ? ShortName(match) : match.Name);
            case FieldType.UInt64 or FieldType.Fixed64 when toShort && value is JsonValue u && u.TryGetValue(out string? text):
                return JsonValue.Create(ulong.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 when toShort && value is JsonValue l && l.TryGetValue(out string? text):
                return JsonValue.Create(long.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
            default:
                return null;
        }
    }
}
