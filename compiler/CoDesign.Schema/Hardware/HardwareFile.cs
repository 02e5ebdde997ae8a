using System.Text.Json;
using System.Text.Json.Nodes;
using CoDesign.Schema.V1;
using CoDesign.Schema.Validation;
using Google.Protobuf;

namespace CoDesign.Schema.Hardware;

/// <summary>Reads hardware descriptions: a preset name or a protobuf-JSON file. Always validated.</summary>
public static class HardwareFile
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    /// <summary>A preset name (see <see cref="HardwarePresets"/>) or a path to a .json file.</summary>
    public static V1.Hardware Resolve(string nameOrPath)
    {
        if (HardwarePresets.TryGet(nameOrPath, out var preset)) return preset;
        if (File.Exists(nameOrPath)) return Load(nameOrPath);
        throw new InputException(
            $"hardware '{nameOrPath}' is neither a preset ({string.Join(", ", HardwarePresets.Names)}) nor an existing file");
    }

    public static V1.Hardware Load(string path)
    {
        return Parse(InputFiles.ReadText(path, "hardware file", InputFiles.MaxJsonBytes), path);
    }

    // Fields that were removed, and what to do instead: refused by name rather than by the parser's generic message.
    static readonly (string Section, string[] Keys, string Why)[] Removed =
    [
        ("memory", ["bandwidthBytesPerS", "bandwidth_bytes_per_s"],
            "memory.bandwidthBytesPerS was removed: nothing read it. Delete it; the bandwidth the model uses is each processor's memoryBandwidthBytesPerS"),
    ];

    public static V1.Hardware Parse(string json, string origin)
    {
        V1.Hardware hw;
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InputException($"hardware file {origin} is not valid hardware JSON: {OneLine(e.Message)}"); }
        if (root is not JsonObject top) throw new InputException($"hardware file {origin} is not a JSON object");
        // A lone surrogate escape ("\ud800") parses but cannot become a string: refuse it by path before any read of it.
        using (var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
            JsonStrings.Check(doc.RootElement, $"hardware file {origin}");
        foreach (var (section, keys, why) in Removed)
            if (top[section] is JsonObject o && keys.Any(o.ContainsKey))
                throw new InputException($"hardware file {origin}: {why}");
        try { json = ReadableJson.ToProtoJson(top, V1.Hardware.Descriptor); }
        catch (InputException e) { throw new InputException($"hardware file {origin}: {e.Message}"); }
        try { hw = Parser.Parse<V1.Hardware>(json); }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException or OverflowException or ArgumentException)
        { throw new InputException($"hardware file {origin} is not valid hardware JSON: {OneLine(e.Message)}"); }
        HardwareValidator.Validate(hw, origin);
        return hw;
    }

    /// <summary>The hardware file format: protobuf JSON with short enum names and numbers as numbers (<see cref="ReadableJson"/>).</summary>
    public static string ToJson(V1.Hardware hw) => ReadableJson.Format(hw);

    internal static string OneLine(string s) => InputText.Escape(s.ReplaceLineEndings(" ").Trim(), 2 * InputText.MaxQuotedChars);
}
