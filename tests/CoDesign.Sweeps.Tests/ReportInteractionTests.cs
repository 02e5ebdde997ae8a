using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace CoDesign.Sweeps.Tests;

/// <summary>The report's plots: a hover target with the point's values per point, and a filter, offline.</summary>
public class ReportInteractionTests
{
    const string Sweep = """
        {
          "name": "hover",
          "groups": [
            { "name": "pim-op-b", "fixed": { "model": "tiny-moe", "requests": 8, "input_len": 64, "output_len": 32 },
              "axes": { "batch": [4, 8], "logic_pim_op_b": [4, 8, 16],
                        "system": [ {"name": "GPU", "hardware": "h100"}, {"name": "Duplex", "hardware": "duplex", "co_processing": "both"} ] },
              "baseline": { "system": "GPU" } }
          ]
        }
        """;

    static string _dir = "", _html = "";

    [OneTimeSetUp]
    public void MakeReport()
    {
        _dir = TestSupport.TempDir();
        var spec = TestSupport.Write(_dir, "hover.json", Sweep);
        var results = Path.Combine(_dir, "hover.jsonl");
        var (code, _, err) = TestSupport.Cli("sweep", spec, "--out", results, "--format", "csv");
        Assert.That(code, Is.EqualTo(0), err);
        (code, _, err) = TestSupport.Cli("report", results, "--out", Path.Combine(_dir, "report"));
        Assert.That(code, Is.EqualTo(0), err);
        _html = Path.Combine(_dir, "report", "report.html");
    }

    static Dictionary<string, List<string>> PointLabels(string html) =>
        Regex.Matches(html, "<figure id=\"([^\"]+)\"[\\s\\S]*?</figure>").ToDictionary(m => m.Groups[1].Value,
            m => Regex.Matches(m.Value, "class=\"pt\"[^>]*data-label=\"([^\"]*)\"[^>]*><title>([^<]*)</title>")
                .Select(p => { Assert.That(p.Groups[2].Value, Is.EqualTo(p.Groups[1].Value), "tooltip = label"); return WebUtility.HtmlDecode(p.Groups[1].Value); }).ToList());

    [Test]
    public void Every_plot_has_a_tooltip_per_point_naming_its_series_and_values()
    {
        var html = File.ReadAllText(_html);
        var labels = PointLabels(html);
        Assert.That(labels, Is.Not.Empty);
        foreach (var (id, l) in labels) Assert.That(l, Is.Not.Empty, $"{id} has hover points");
        // 2 batches x 3 Op/B x 2 systems: one bar per point in the throughput plot.
        Assert.That(labels["fig-throughput-0"], Has.Count.EqualTo(12));
        Assert.That(labels["fig-throughput-0"], Has.Some.Contains("Duplex").And.Some.Contains("GPU"));
        Assert.That(labels.Where(kv => kv.Key.StartsWith("fig-roofline", StringComparison.Ordinal)).SelectMany(kv => kv.Value),
            Has.Some.Match("qkv_projection on .*: Op/B [0-9.e+]+, [0-9.e+-]+ TFLOP/s"), "roofline points name their operator and values");
        Assert.That(Regex.IsMatch(html, "(src|href)=\"https?:"), Is.False, "still offline");
    }

    [Test, Category("Browser")]
    public void Plot_filter_dims_the_points_that_do_not_match_in_headless_chromium()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assume.That(chromium, Is.Not.Null, "chromium is not installed (Debian package 'chromium')");
        var labels = PointLabels(File.ReadAllText(_html));
        var (dom, err) = Headless(chromium!, "--dump-dom", new Uri(_html).AbsoluteUri + "?points=duplex");
        Assert.That(err.Split('\n').Where(l => l.Contains(":CONSOLE")), Is.Empty, "console messages from the page");
        int filtered = 0;
        foreach (var (id, l) in labels)
        {
            int expected = l.Count(x => x.Contains("duplex", StringComparison.OrdinalIgnoreCase));
            var fig = Regex.Match(dom, $"<figure id=\"{id}\"[^>]*>").Value;
            Assert.That(fig, Does.Contain($"data-visible-points=\"{expected}\""), id);
            var body = Regex.Match(dom, $"<figure id=\"{id}\"[\\s\\S]*?</figure>").Value;
            Assert.That(Regex.Matches(body, "class=\"pt dim\"").Count, Is.EqualTo(l.Count - expected), $"{id}: the others are dimmed");
            if (expected > 0 && expected < l.Count) filtered++;
        }
        Assert.That(filtered, Is.GreaterThan(0), "the filter keeps some points and dims others");

        var png = Path.Combine(_dir, "filtered.png");
        Headless(chromium!, "--window-size=1280,2400", $"--screenshot={png}", new Uri(_html).AbsoluteUri + "?points=duplex");
        Assert.That(new FileInfo(png).Length, Is.GreaterThan(20_000), "a screenshot with the filtered plots drawn");
    }

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
}
