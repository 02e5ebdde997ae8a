namespace CoDesign.Schema;

/// <summary>
/// Bad input from the user: a malformed file, an impossible system, a model that does not fit.
/// The CLI turns it into one line on stderr and exit code 2; anything else is an internal failure (exit 1).
/// A message names a setting with <see cref="Setting.Ref"/>, never with a command-line flag: the host that reads the
/// setting spells it (<c>--max-batch</c> in the CLI, <c>max_batch</c> in a sweep file) through <see cref="Render"/>.
/// </summary>
public class InputException(string message) : Exception(Setting.Spell(message, n => n))
{
    /// <summary>The message with its setting references unspelled.</summary>
    public string Template { get; } = message;

    /// <summary>The message with each setting spelled by <paramref name="spell"/> (given the setting's snake-case name).</summary>
    public string Render(Func<string, string> spell) => Setting.Spell(Template, spell);
}

/// <summary>References to user settings inside messages of lower layers, spelled by the host that owns them.</summary>
public static class Setting
{
    // Control characters cannot reach a message from user input: quoted user text has them escaped (InputText).
    const char Open = '\u0001', Close = '\u0002';

    /// <summary>A reference to the setting <paramref name="name"/> (snake case, as in sweep files: "max_batch").</summary>
    public static string Ref(string name) => $"{Open}{name}{Close}";

    /// <summary><paramref name="message"/> with each reference replaced by <paramref name="spell"/>(name).</summary>
    public static string Spell(string message, Func<string, string> spell)
    {
        int open = message.IndexOf(Open);
        if (open < 0) return message;
        var sb = new System.Text.StringBuilder(message.Length);
        int at = 0;
        while (open >= 0)
        {
            int close = message.IndexOf(Close, open + 1);
            if (close < 0) break;
            sb.Append(message, at, open - at).Append(spell(message[(open + 1)..close]));
            at = close + 1;
            open = message.IndexOf(Open, at);
        }
        return sb.Append(message, at, message.Length - at).ToString();
    }

    /// <summary>The command-line spelling: "max_batch" is "--max-batch".</summary>
    public static string Flag(string name) => "--" + name.Replace('_', '-');
}
