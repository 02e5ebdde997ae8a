using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoDesign.Cli.Tests.Rendering;

/// <summary>
/// Every verb writes its result through one renderer: each of table, JSON and CSV comes out well formed, and no
/// handler picks a format itself.
/// </summary>
public sealed partial class OutputFormatTests
{
    static readonly string[][] Verbs =
    [
        ["models"],
        ["models", "mixtral-8x7b"],
        ["hardware"],
        ["hardware", "duplex", "--explain"],
        ["analyze", "--model", "mixtral-8x7b", "--hardware", "duplex", "--devices", "2", "--decode", "8", "--context", "512"],
        ["bench", "simulate", "--model", "mixtral-8x7b", "--hardware", "duplex", "--requests", "8", "--batch", "4", "--input-len", "16",
            "--output-len", "4", "--repeat", "1"],
        ["run", "--model", "tiny-dense", "--max-new-tokens", "2"],
        ["validate", "--model", "tiny-dense", "--backend", "cpu", "--max-new-tokens", "2"],
    ];

    static IEnumerable<TestCaseData> Cases() =>
        Verbs.Select(v => new TestCaseData((object)v).SetArgDisplayNames(string.Join(' ', v)));

    [TestCaseSource(nameof(Cases))]
    public void Json_parses(string[] verb)
    {
        var r = Cli.Run([.. verb, "--format", "json"]);
        Assert.That(r.ExitCode, Is.Zero, r.ToString);
        Assert.DoesNotThrow(() => JsonDocument.Parse(r.Out), r.Out);
    }

    [TestCaseSource(nameof(Cases))]
    public void Csv_is_rectangular(string[] verb)
    {
        var r = Cli.Run([.. verb, "--format", "csv"]);
        Assert.That(r.ExitCode, Is.Zero, r.ToString);
        var rows = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Fields).ToList();
        Assert.That(rows, Has.Count.GreaterThan(1), "a header and at least one row");
        Assert.That(rows.Distinct().Count(), Is.EqualTo(1), $"every line has the header's field count:\n{r.Out}");
    }

    [TestCaseSource(nameof(Cases))]
    public void Table_is_neither_json_nor_csv(string[] verb)
    {
        var r = Cli.Run([.. verb, "--format", "table"]);
        Assert.That(r.ExitCode, Is.Zero, r.ToString);
        Assert.That(r.Out.TrimStart(), Does.Not.StartWith("{").And.Not.StartWith("["), "a table is for reading");
    }

    /// <summary>The format is chosen in one place (Reports.Renderer); a handler only builds its result.</summary>
    [Test]
    public void No_handler_switches_on_the_format()
    {
        var commands = Path.Combine(Root(), "host", "CoDesign.Cli", "Commands");
        var offenders = Directory.EnumerateFiles(commands, "*.cs", SearchOption.AllDirectories)
            .Where(f => FormatSwitch().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(commands, f)).ToList();
        Assert.That(offenders, Is.Empty, "format switches outside the renderer");
        var verbs = Directory.EnumerateDirectories(commands).Where(d => Directory.EnumerateFiles(d, "*Handler.cs").Any()).ToList();
        Assert.That(verbs, Has.Count.GreaterThan(10));
        foreach (var d in verbs)
            Assert.That(Directory.EnumerateFiles(d, "*Renderer.cs").Any(), $"{Path.GetFileName(d)} has a renderer");
    }

    /// <summary>Fields of one CSV line (RFC 4180 quoting), counted.</summary>
    static int Fields(string line)
    {
        int n = 1;
        bool quoted = false;
        foreach (char c in line.TrimEnd('\r'))
        {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) n++;
        }
        return n;
    }

    [GeneratedRegex(@"switch\s*\(\s*[\w.]*[Ff]ormat\s*\)")]
    private static partial Regex FormatSwitch();

    static string Root()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CoDesign.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CoDesign.sln not found above the test directory");
    }
}
