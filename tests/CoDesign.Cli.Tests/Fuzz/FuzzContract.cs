using System.Text.RegularExpressions;
using CoDesign.Schema;

namespace CoDesign.Cli.Tests.Fuzz;

/// <summary>
/// What every CLI run must do with any input (issue 16): exit 0 or 2, never 1; on exit 2 exactly one stderr
/// line and no stdout; never a stack trace; no NaN or Infinity on stdout; no half-written output file.
/// </summary>
static partial class FuzzContract
{
    /// <summary>Runs one case and returns a failure description, or null when the contract held.</summary>
    public static string? Check(string[] args, TempDir dir, string? outputFile = null)
    {
        var before = Directory.GetFiles(dir.Path).ToHashSet();
        CliResult r;
        try { r = Cli.Run(args); }
        catch (Exception e) { return $"threw {e.GetType().Name}: {e.Message}"; }
        string Fail(string why) => $"{why}\n  args: {Show(args)}\n  exit {r.ExitCode}\n  stderr: {Clip(r.Err)}\n  stdout: {Clip(r.Out)}";
        if (r.ExitCode is not (0 or 2)) return Fail("exit code not in {0, 2}");
        if (StackTrace().IsMatch(r.Err) || StackTrace().IsMatch(r.Out)) return Fail("stack trace printed");
        if (NonFinite().IsMatch(r.Out)) return Fail("NaN or Infinity on stdout");
        if (r.ErrLines.Any(l => l.Length > 1000)) return Fail("an stderr line over 1,000 characters");
        if (r.Err.Any(c => char.IsControl(c) && c is not ('\n' or '\r'))) return Fail("a control character on stderr");
        var leftover = Directory.GetFiles(dir.Path).Where(f => !before.Contains(f) && Path.GetFileName(f).EndsWith(".tmp", StringComparison.Ordinal)).ToList();
        if (leftover.Count > 0) return Fail($"temporary file left: {leftover[0]}");
        if (r.ExitCode == 2)
        {
            if (r.ErrLines.Length != 1) return Fail("exit 2 without exactly one stderr line");
            if (!r.ErrLines[0].StartsWith("codesign: error: ", StringComparison.Ordinal)) return Fail("exit 2 line is not 'codesign: error: …'");
            if (r.Out.Length > 0) return Fail("exit 2 with output on stdout");
            if (outputFile is not null && File.Exists(outputFile) && !before.Contains(outputFile)) return Fail("exit 2 but the output file was written");
        }
        return null;
    }

    /// <summary>Runs every case, collecting failures, so one assertion reports all broken cases at once.</summary>
    public static void All(IEnumerable<(string[] Args, string? Output)> cases, TempDir dir, int expected)
    {
        var failures = new List<string>();
        int n = 0, bad = 0;
        long slowestMs = 0;
        string slowest = "";
        foreach (var (args, output) in cases)
        {
            n++;
            if (output is not null && File.Exists(output)) File.Delete(output);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var f = Check(args, dir, output);
            if (sw.ElapsedMilliseconds > slowestMs) (slowestMs, slowest) = (sw.ElapsedMilliseconds, Show(args));
            if (f is not null && failures.Count < 5) failures.Add(f);
            if (f is not null) bad++;
        }
        TestContext.Out.WriteLine($"{n} CLI cases; slowest {slowestMs} ms: {slowest}");
        Assert.That(n, Is.EqualTo(expected), "case count");
        Assert.That(failures, Is.Empty, $"{bad} of {n} cases broke the contract; first ones:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// A reader called directly (no CLI around it), for the bulk of a reader's cases where the CLI would spend its
    /// time running the model the input describes: it returns, or throws <see cref="InputException"/> with one short
    /// printable line. Any other exception is a reader bug the CLI would report as an internal error.
    /// </summary>
    public static void Readers(IEnumerable<(string What, Action Read)> cases, int expected)
    {
        var failures = new List<string>();
        int n = 0, refused = 0;
        foreach (var (what, read) in cases)
        {
            n++;
            try { read(); }
            catch (InputException e)
            {
                refused++;
                var m = e.Message;
                if (m.Contains('\n') || m.Length > 1000 || m.Any(char.IsControl)) failures.Add($"{what}: message not one short printable line: {Clip(m)}");
            }
            catch (Exception e) { failures.Add($"{what}: threw {e.GetType().Name}: {Clip(e.Message)}"); }
        }
        TestContext.Out.WriteLine($"{n} reader cases, {refused} refused as bad input");
        Assert.That(n, Is.EqualTo(expected), "case count");
        Assert.That(failures, Is.Empty, $"{failures.Count} of {n} reader cases broke the contract; first ones:\n" + string.Join("\n", failures.Take(5)));
    }

    static string Show(string[] args) => string.Join(' ', args.Select(a => a.Length > 120 ? a[..120] + "…" : a));
    static string Clip(string s) => s.Length > 600 ? s[..600] + "…" : s;

    [GeneratedRegex(@"^\s+at \S+", RegexOptions.Multiline)]
    private static partial Regex StackTrace();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(NaN|[-+]?Infinity|∞)(?![A-Za-z0-9_])")]
    private static partial Regex NonFinite();
}
