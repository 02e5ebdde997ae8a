using System.Globalization;
using System.Text;

namespace CoDesign.Schema.Validation;

/// <summary>
/// How user input appears in an error line: at most <see cref="MaxQuotedChars"/> characters, non-printable
/// characters escaped, so a binary file given by mistake cannot flood or corrupt a terminal.
/// </summary>
public static class InputText
{
    /// <summary>Our choice: long enough to recognise a value, short enough to keep the error on one line.</summary>
    public const int MaxQuotedChars = 80;

    /// <summary>An error line as a whole is capped too (it may quote a file name and a value).</summary>
    public const int MaxLineChars = 600;

    /// <summary>The value in single quotes, escaped and cut to <see cref="MaxQuotedChars"/>.</summary>
    public static string Quote(string? s) => s is null ? "null" : "'" + Escape(s, MaxQuotedChars) + "'";

    /// <summary>A number as the user wrote it, round-trippable (NaN and infinities by name).</summary>
    public static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Escapes control characters, lone surrogates and other non-printables; cuts after <paramref name="max"/> characters.</summary>
    public static string Escape(string s, int max)
    {
        var sb = new StringBuilder(Math.Min(s.Length, max) + 16);
        int shown = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (shown >= max) { sb.Append($"…(+{s.Length - i} chars)"); break; }
            char c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[++i]);
            }
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (char.IsSurrogate(c) || char.IsControl(c) || c == '\uFFFD' || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned)
                sb.Append(c <= 0xFF ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
            else sb.Append(c);
            shown++;
        }
        return sb.ToString();
    }

    /// <summary>One error line: line breaks folded, non-printables escaped, capped at <see cref="MaxLineChars"/>.</summary>
    /// <remarks>A quoted stretch ('…') longer than <see cref="MaxQuotedChars"/> is cut too: messages of libraries
    /// (the command-line parser, JSON readers) quote the user's token whole. A quote opens before and closes after a
    /// non-space, so the text between two short quotes ('a' does not fit on 'b') is not taken for one.</remarks>
    public static string OneLine(string message)
    {
        var s = System.Text.RegularExpressions.Regex.Replace(message.ReplaceLineEndings(" ").Trim(), "'(?=\\S)([^']{" + (MaxQuotedChars + 1) + ",})(?<=\\S)'",
            m => "'" + m.Groups[1].Value[..MaxQuotedChars] + $"…(+{m.Groups[1].Length - MaxQuotedChars} chars)'");
        return Escape(s, MaxLineChars);
    }
}
