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

    public static V1.Hardware Parse(string json, string origin)
    {
        V1.Hardware hw;
        try { hw = Parser.Parse<V1.Hardware>(json); }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException or OverflowException or ArgumentException)
        { throw new InputException($"hardware file {origin} is not valid hardware JSON: {OneLine(e.Message)}"); }
        HardwareValidator.Validate(hw, origin);
        return hw;
    }

    public static string ToJson(V1.Hardware hw) =>
        new JsonFormatter(JsonFormatter.Settings.Default.WithIndentation().WithFormatDefaultValues(false)).Format(hw);

    internal static string OneLine(string s) => InputText.Escape(s.ReplaceLineEndings(" ").Trim(), 2 * InputText.MaxQuotedChars);
}
