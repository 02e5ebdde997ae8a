using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CoDesign.Sweeps.Tests;

public class ReportTests
{
    static readonly string[] Kinds = ["throughput", "energy", "latency", "roofline", "sensitivity", "pareto"];

    /// <summary>A sweep with a swept hardware parameter, so every kind of figure has data.</summary>
    const string Sweep = """
        {
          "name": "rep",
          "groups": [
            { "name": "pim-op-b", "fixed": { "model": "tiny-moe", "requests": 8, "input_len": 64, "output_len": 32 },
              "axes": { "batch": [4, 8], "logic_pim_op_b": [4, 8, 16],
                        "system": [ {"name": "GPU", "hardware": "h100"}, {"name": "Duplex", "hardware": "duplex", "co_processing": "both"} ] },
              "baseline": { "system": "GPU" } },
            { "name": "dense", "fixed": { "model": "tiny-dense", "requests": 8, "input_len": 64, "output_len": 32, "batch": 4 },
              "axes": { "hardware": ["h100", "bank-pim"] } }
          ]
        }
        """;

    static (string Dir, string Html) MakeReport()
    {
        var dir = TestSupport.TempDir();
        var spec = TestSupport.Write(dir, "rep.json", Sweep);
        var results = Path.Combine(dir, "rep.jsonl");
        var (code, _, err) = TestSupport.Cli("sweep", spec, "--out", results, "--format", "csv");
        Assert.That(code, Is.EqualTo(0), err);
        var outDir = Path.Combine(dir, "report");
        (code, _, err) = TestSupport.Cli("report", results, "--out", outDir);
        Assert.That(code, Is.EqualTo(0), err);
        return (outDir, Path.Combine(outDir, "report.html"));
    }

    [Test]
    public void Report_has_every_figure_csv_and_markdown_with_provenance()
    {
        var (dir, htmlPath) = MakeReport();
        var html = File.ReadAllText(htmlPath);
        foreach (var kind in Kinds) Assert.That(html, Does.Contain($"data-figure=\"{kind}\""), kind);
        Assert.That(Regex.Matches(html, "<figure ").Count, Is.EqualTo(Regex.Matches(html, "<svg ").Count), "one plot per figure");
        Assert.That(Regex.IsMatch(html, "(src|href)=\"https?:"), Is.False, "nothing loads from the network");
        Assert.That(Regex.Matches(html, "<figcaption>[^<]*Provenance: model").Count, Is.EqualTo(Regex.Matches(html, "<figure ").Count), "every figure says where its numbers come from");

        var csv = File.ReadAllLines(Path.Combine(dir, "results.csv"));
        Assert.That(csv, Has.Length.EqualTo(1 + 12 + 2));
        Assert.That(csv[0], Does.Contain("normalised_throughput").And.Contain("hardware_sha256").And.Contain("codesign_version").And.Contain("seed"));
        var md = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.That(md, Does.Contain("## pim-op-b").And.Contain("## dense").And.Contain("sha256"));
        Assert.That(md, Does.Contain("1x ("), "the baseline column is 1x");
    }

    [Test]
    public void Without_a_baseline_groups_compare_hardware_across_the_other_axes()
    {
        var dir = TestSupport.TempDir();
        var results = Path.Combine(dir, "r.jsonl");
        var (code, _, err) = TestSupport.Cli("sweep", "--axis", "model=tiny-moe", "--axis", "requests=8", "--axis", "batch=4,8",
            "--axis", "hardware=h100,duplex", "--out", results, "--format", "csv");
        Assert.That(code, Is.EqualTo(0), err);
        var rows = Run.ResultsFile.Load(results).Rows;
        var view = new Reporting.GroupView("cli", rows, rows.ToDictionary(r => r.Id));
        Assert.That(view.CompareAxis, Is.EqualTo("hardware"));
        Assert.That(view.Categories, Is.EqualTo(new[] { "4", "8" }));
        Assert.That(view.SeriesNames, Is.EqualTo(new[] { "h100", "duplex" }));
        Assert.That(view.HasBaseline, Is.False);
        var table = view.Table(r => r.Result!.ThroughputTokensPerS);
        Assert.That(table.SelectMany(t => t.Values), Has.All.Not.Null, "every (batch, hardware) cell filled");
    }

    [Test]
    public void Report_of_no_results_is_bad_input()
    {
        var dir = TestSupport.TempDir();
        var empty = TestSupport.Write(dir, "empty.jsonl", "");
        Assert.That(TestSupport.Cli("report", empty, "--out", Path.Combine(dir, "r")).Code, Is.EqualTo(2));
        var garbage = TestSupport.Write(dir, "garbage.jsonl", "not json\n");
        var (code, _, err) = TestSupport.Cli("report", garbage, "--out", Path.Combine(dir, "r"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("line 1"));
    }

    [Test, Category("Browser")]
    public void Report_loads_in_headless_chromium_without_console_errors()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assume.That(chromium, Is.Not.Null, "chromium is not installed (Debian package 'chromium')");
        var (_, htmlPath) = MakeReport();
        int figures = Regex.Matches(File.ReadAllText(htmlPath), "<figure ").Count;

        var psi = new ProcessStartInfo(chromium!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr", "--v=0", "--dump-dom", new Uri(htmlPath).AbsoluteUri })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var dom = p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(90_000), Is.True, "chromium did not finish");
        var console = stderr.Result.Split('\n').Where(l => l.Contains(":CONSOLE")).ToList();
        Assert.That(console, Is.Empty, "console messages from the page");
        // The page's own check counts figures whose SVG rendered with a size.
        Assert.That(dom, Does.Contain($"data-figures-rendered=\"{figures}\""));
        foreach (var kind in Kinds) Assert.That(dom, Does.Contain($"data-figure=\"{kind}\""), kind);
    }

    static string? Chromium() => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    static (string Out, string Err) Headless(string chromium, params string[] args)
    {
        var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr", "--v=0" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(90_000), Is.True, "chromium did not finish");
        return (stdout, stderr.Result);
    }

    [Test]
    public void Report_explains_system_names_and_labels_rooflines()
    {
        var (_, htmlPath) = MakeReport();
        var html = File.ReadAllText(htmlPath);
        Assert.That(html, Does.Contain("<table id=\"glossary\"").And.Contain("<td>Duplex</td>").And.Contain("<td>Bank-PIM</td>"));
        var roofline = Regex.Match(html, "<figure id=\"fig-roofline-1\"[\\s\\S]*?</figure>").Value;
        Assert.That(roofline, Does.Contain("qkv_projection").And.Contain("crossover Op/B"), "points named, crossover drawn (duplex)");
    }

    [Test, Category("Browser")]
    public void Report_table_sorts_and_filters_in_headless_chromium_and_renders_a_screenshot()
    {
        var chromium = Chromium();
        Assume.That(chromium, Is.Not.Null, "chromium is not installed (Debian package 'chromium')");
        var (dir, htmlPath) = MakeReport();
        int col = Reporting.ResultTable.Header.ToList().IndexOf("throughput_tokens_per_s");
        var csvRows = File.ReadAllLines(Path.Combine(dir, "results.csv")).Skip(1).ToList();
        int duplexRows = csvRows.Count(l => l.Contains("duplex", StringComparison.OrdinalIgnoreCase));

        var (dom, err) = Headless(chromium!, "--dump-dom", new Uri(htmlPath).AbsoluteUri + $"?sort={col}&desc=1&filter=duplex");
        Assert.That(err.Split('\n').Where(l => l.Contains(":CONSOLE")), Is.Empty, "console messages from the page");
        var table = Regex.Match(dom, "<table id=\"data-table\"[^>]*>").Value;
        Assert.That(table, Does.Contain($"data-sorted=\"{col} desc\"").And.Contain($"data-visible-rows=\"{duplexRows}\""));
        var body = dom[dom.IndexOf("<table id=\"data-table\"", StringComparison.Ordinal)..];
        var shown = Regex.Matches(body, "<tr>(.*?)</tr>").Select(m => Regex.Matches(m.Groups[1].Value, "<td>(.*?)</td>").Select(c => c.Groups[1].Value).ToList())
            .Where(cells => cells.Count > col && double.TryParse(cells[col], System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(cells => double.Parse(cells[col], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(shown, Is.Ordered.Descending, "rows sorted by throughput, largest first");

        var png = Path.Combine(dir, "report.png");
        Headless(chromium!, "--window-size=1280,2400", $"--screenshot={png}", new Uri(htmlPath).AbsoluteUri);
        Assert.That(new FileInfo(png).Length, Is.GreaterThan(20_000), "a screenshot with the plots drawn");
    }
}
