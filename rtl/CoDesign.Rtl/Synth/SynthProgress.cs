// SPDX-License-Identifier: Apache-2.0
// Counts the passes of a yosys synthesis script as yosys runs them, for progress with a count and an ETA.
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace CoDesign.Rtl.Synth;

/// <summary>
/// yosys runs a synthesis command (<c>synth</c>, <c>synth_xilinx</c>) as a fixed script of passes and logs each
/// as "N.M. Executing PASS pass" under the command's own number N. The script's length comes from yosys itself
/// (<c>help synth</c> lists it, with "(if -flag)" / "(unless -flag)" conditions), so the count stays right across
/// yosys versions; passes the script lists but skips make the count an upper bound, closed at the end.
/// </summary>
public static partial class SynthProgress
{
    /// <summary>Passes of <paramref name="command"/> with <paramref name="flags"/>, as yosys's help lists them.</summary>
    public static async Task<int> CountPassesAsync(string yosys, string command, IReadOnlyCollection<string> flags, CancellationToken ct = default)
    {
        var r = await Cli.Wrap(yosys).WithArguments(["-Q", "-p", $"help {command}"]).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct);
        return CountPasses(r.StandardOutput, flags);
    }

    public static int CountPasses(string help, IReadOnlyCollection<string> flags)
    {
        int at = help.IndexOf("following commands are executed", StringComparison.Ordinal);
        if (at < 0) return 0;
        int n = 0;
        foreach (var line in help[at..].Split('\n').Skip(1))
        {
            if (line.StartsWith("End of script", StringComparison.Ordinal)) break;
            if (!PassLine().IsMatch(line)) continue;
            if (Runs(line, flags)) n++;
        }
        return n;
    }

    /// <summary>"(unless -noabc, if -lut)": every clause must hold; "if A and B" needs both flags, "unless A" its absence.</summary>
    static bool Runs(string line, IReadOnlyCollection<string> flags)
    {
        var cond = Condition().Match(line);
        if (!cond.Success) return true;
        foreach (var clause in cond.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (clause.StartsWith("if ", StringComparison.Ordinal)) { if (!clause[3..].Split(" and ").All(f => flags.Contains(f.Trim()))) return false; }
            else if (clause.StartsWith("unless ", StringComparison.Ordinal)) { if (clause[7..].Split(" and ").All(f => flags.Contains(f.Trim()))) return false; }
        }
        return true;
    }

    /// <summary>The pass number under command <paramref name="command"/> if <paramref name="line"/> starts one ("6.23. Executing ABC pass").</summary>
    public static (int Index, string Pass)? Parse(string line, int command)
    {
        var m = Header().Match(line);
        return m.Success && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) == command
            ? (int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[3].Success ? m.Groups[3].Value.ToLowerInvariant() : "stat")
            : null;
    }

    /// <summary>The number yosys gives the synthesis command itself ("6. Executing SYNTH pass.").</summary>
    public static int? CommandNumber(string line, string command)
    {
        var m = Top().Match(line);
        return m.Success && m.Groups[2].Value.Equals(command, StringComparison.OrdinalIgnoreCase)
            ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^ {8}\S")]
    private static partial Regex PassLine();
    [GeneratedRegex(@"\(((?:if|unless) [^)]*)\)")]
    private static partial Regex Condition();
    [GeneratedRegex(@"^(\d+)\.(\d+)\. (?:Executing (\S+)|(Printing) statistics)")]
    private static partial Regex Header();
    [GeneratedRegex(@"^(\d+)\. Executing (\S+) pass")]
    private static partial Regex Top();
}
