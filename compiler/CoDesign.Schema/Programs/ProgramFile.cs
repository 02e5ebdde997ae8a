// SPDX-License-Identifier: MIT
// The Program as a file: sealed with a format version and a content hash, read back with one-line refusals.
using System.Security.Cryptography;
using CoDesign.Schema.V1;
using Google.Protobuf;

namespace CoDesign.Schema.Programs;

/// <summary>
/// Seals, writes and reads compiled Programs. A sealed Program carries <see cref="FormatVersion"/> and the SHA-256 of
/// its own serialisation (with the hash field empty), so a reader can tell a Program from an older compiler, a
/// damaged file and a file that is not a Program at all.
/// </summary>
public static class ProgramFile
{
    /// <summary>The Program layout this build writes and reads. Bump when a reader could misread an older Program.</summary>
    /// 2 (issue 13): decode attention, logits and the dequantiser read the verify-step features DECODE_TOKENS, DECODE_PAIRS
    /// and DECODE_PAIRS_WINDOWED and the dequant_elements counts, which a format-1 Program lacks (it would cost a verify
    /// step as one query and quantised weights without their dequantisation).
    public const uint FormatVersion = 2;

    /// <summary>Stamps the format version and the content hash (in place) and returns the Program.</summary>
    public static Program Seal(Program p)
    {
        p.FormatVersion = FormatVersion;
        p.ContentSha256 = Hash(p);
        return p;
    }

    /// <summary>SHA-256 (lower-case hex) of the Program's binary form with <c>content_sha256</c> empty.</summary>
    public static string Hash(Program p)
    {
        var copy = p.Clone();
        copy.ContentSha256 = "";
        return Convert.ToHexStringLower(SHA256.HashData(copy.ToByteArray()));
    }

    /// <summary>The file's bytes: protobuf JSON when the path ends in .json, binary protobuf otherwise.</summary>
    public static byte[] Serialize(Program p, string path) => IsJson(path)
        ? System.Text.Encoding.UTF8.GetBytes(new JsonFormatter(JsonFormatter.Settings.Default.WithIndentation()).Format(p))
        : p.ToByteArray();

    /// <summary>Reads and checks a Program file; any problem is an <see cref="InputException"/> naming the file.</summary>
    public static Program Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException($"cannot read program {path}: {e.Message}");
        }
        Program p;
        try
        {
            p = IsJson(path)
                ? new JsonParser(JsonParser.Settings.Default).Parse<Program>(System.Text.Encoding.UTF8.GetString(bytes))
                : Program.Parser.ParseFrom(bytes);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new InputException($"program {path} is corrupt or not a Program ({e.Message.ReplaceLineEndings(" ")})");
        }
        return Check(p, path);
    }

    /// <summary>Refuses a Program of another format version or whose content does not match its hash.</summary>
    public static Program Check(Program p, string what)
    {
        if (p.FormatVersion == 0 && p.ContentSha256.Length == 0 && p.Model is null)
            throw new InputException($"program {what} is corrupt or not a Program (no model, no format version)");
        if (p.FormatVersion < FormatVersion)
            throw new InputException($"program {what} is program format {p.FormatVersion}, older than the {FormatVersion} this codesign reads " +
                $"(written by codesign {(p.CodesignVersion.Length > 0 ? p.CodesignVersion : "unknown")}): compile it again");
        if (p.FormatVersion > FormatVersion)
            throw new InputException($"program {what} is program format {p.FormatVersion}, newer than the {FormatVersion} this codesign reads " +
                $"(written by codesign {p.CodesignVersion}): use that codesign or compile it again");
        if (p.ContentSha256 != Hash(p))
            throw new InputException($"program {what} is corrupt: its content does not match its SHA-256");
        if (p.Model is null || p.Hardware is null || p.System is null)
            throw new InputException($"program {what} is corrupt: it lacks its model, hardware or system");
        return p;
    }

    static bool IsJson(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
