using System.Text.RegularExpressions;

namespace CoDesign.Sweeps.Tests;

/// <summary>How the report draws what a group declares: zipped axes as one, geometric sweeps on log axes, Pareto per workload.</summary>
public class ReportAxesTests
{
    [TestCase(new[] { 4.0, 8, 16 }, true)]
    [TestCase(new[] { 1e12, 1e13, 1e14, 1e15 }, true)]
    [TestCase(new[] { 4.0, 8, 12 }, false)]
    [TestCase(new[] { 4.0, 8 }, false)]
    public void GeometricValues_AreDetected(double[] values, bool geometric)
    {
        Assert.That(Reporting.SweepReport.Geometric(values), Is.EqualTo(geometric));
    }

    const string Zipped = """
        { "name": "zip", "groups": [
          { "name": "hbm", "mode": "zip", "fixed": { "model": "tiny-dense", "requests": 4, "input_len": 32, "output_len": 8, "hardware": "duplex" },
            "axes": { "hbm_bandwidth_bytes_per_s": [1e12, 2e12, 4e12], "hbm_capacity_bytes": [4e10, 8e10, 1.6e11] } } ] }
        """;

    [Test]
    public void ZippedHardwareAxes_AreOneLogScaledSensitivityCurve_AndParetoStaysWithinAWorkload()
    {
        var dir = TestSupport.TempDir();
        var spec = TestSupport.Write(dir, "zip.json", Zipped);
        var results = Path.Combine(dir, "zip.jsonl");
        var (code, _, err) = TestSupport.Cli("sweep", spec, "--out", results, "--format", "csv");
        Assert.That(code, Is.Zero, err);
        (code, _, err) = TestSupport.Cli("report", results, "--out", Path.Combine(dir, "r"));
        Assert.That(code, Is.Zero, err);
        var html = File.ReadAllText(Path.Combine(dir, "r", "report.html"));
        var sensitivity = Regex.Matches(html, "<figure id=\"fig-sensitivity-\\d+\"[\\s\\S]*?</figure>").Select(m => m.Value).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sensitivity, Has.Count.EqualTo(1), "bandwidth and capacity move together: one axis");
            Assert.That(sensitivity[0], Does.Contain("with hbm_capacity_bytes in lockstep").And.Contain("x axis is logarithmic"));
            // One workload, three hardware alternatives: one front.
            Assert.That(html, Does.Contain("the Pareto front of each workload (1 with more than one alternative)"));
            // The presets charge InfiniBand at 45 pJ/bit (HardwarePresets.InfinibandJoulesPerBit), the larger of the two links.
            Assert.That(html, Does.Contain("up to 45 pJ/bit"), "link energy stated");
        }
    }
}
