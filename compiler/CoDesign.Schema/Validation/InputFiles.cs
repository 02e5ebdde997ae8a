using System.Text;

namespace CoDesign.Schema.Validation;

/// <summary>
/// Reads a text input file with a size cap, refusing what is not UTF-8 text. A device such as /dev/zero, a
/// multi-GB file or a binary file given by mistake ends in one clear line, not an out-of-memory crash.
/// </summary>
public static class InputFiles
{
    /// <summary>Our cap for JSON inputs (configs, hardware, sweep files): 1,000x the largest real one.</summary>
    public const long MaxJsonBytes = 16L << 20;

    /// <summary>Our cap for line-based inputs (workload traces, prompt files).</summary>
    public const long MaxTableBytes = 256L << 20;

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string ReadText(string path, string what, long maxBytes)
    {
        byte[] bytes;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var ms = new MemoryStream();
            var buffer = new byte[1 << 16];
            int n;
            while ((n = fs.Read(buffer, 0, buffer.Length)) > 0)
            {
                ms.Write(buffer, 0, n);
                if (ms.Length > maxBytes)
                    throw new InputException($"{what} {InputText.Quote(path)} is larger than the {maxBytes >> 20} MiB an input of this kind may have");
            }
            bytes = ms.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        { throw new InputException($"cannot read {what} {InputText.Quote(path)}: {e.Message}"); }
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        { throw new InputException($"{what} {InputText.Quote(path)} is not UTF-8 text (a binary file?)"); }
    }

    public static string[] ReadLines(string path, string what, long maxBytes) =>
        ReadText(path, what, maxBytes).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
}
