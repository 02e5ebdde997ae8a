// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using CoDesign.Cli;

namespace CoDesign.Rtl.Tests.Cli;

[NonParallelizable]
public class RtlCliTests
{
    static (int Rc, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = CodesignApp.Run(args, o, e);
        return (rc, o.ToString(), e.ToString());
    }

    [Test]
    public void MissingVerilator_IsOneLineWithInstallCommand_Exit2()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", "/nonexistent");
            var (rc, _, err) = Run("rtl", "gemv", "--config", "ci", "--k", "64", "--n", "8");
            Assert.Multiple(() =>
            {
                Assert.That(rc, Is.EqualTo(2));
                Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
                Assert.That(err, Does.Contain("apt-get install").And.Contain("verilator"));
            });
        }
        finally { Environment.SetEnvironmentVariable("PATH", path); }
    }

    [Test]
    public void MissingYosys_IsOneLineWithInstallCommand_Exit2()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", "/nonexistent");
            var (rc, _, err) = Run("rtl", "synth", "--unit", "mac");
            Assert.Multiple(() =>
            {
                Assert.That(rc, Is.EqualTo(2));
                Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
                Assert.That(err, Does.Contain("apt-get install -y --no-install-recommends yosys"));
            });
        }
        finally { Environment.SetEnvironmentVariable("PATH", path); }
    }

    [Test, Category("Verilator")]
    public void Gemv_Json_HasTheReportedFields()
    {
        VerilatorFixture.RequireVerilator();
        var (rc, o, err) = Run("rtl", "gemv", "--config", "ci", "--tokens", "2", "--k", "128", "--n", "16", "--format", "json");
        Assert.That(rc, Is.Zero, err);
        using var doc = JsonDocument.Parse(o);
        var r = doc.RootElement;
        foreach (var key in new[] { "cycles", "seconds", "bytes_per_cycle", "peak_bytes_per_cycle", "flops_per_cycle",
                     "peak_flops_per_cycle", "bit_exact_vs_golden", "max_abs_error", "max_rel_error", "dram_commands" })
            Assert.That(r.TryGetProperty(key, out _), Is.True, key);
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("bit_exact_vs_golden").GetBoolean(), Is.True);
            Assert.That(r.GetProperty("cycles").GetInt64(), Is.GreaterThan(128 * 16 / 8));
            Assert.That(r.GetProperty("dram_commands").GetProperty("rd").GetInt64(), Is.EqualTo(128 * 16 / 16));
        });
    }

    [Test]
    public void BadShape_IsExit2()
    {
        var (rc, _, err) = Run("rtl", "gemv", "--config", "ci", "--k", "60", "--n", "8");
        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(2));
            Assert.That(err, Does.Contain("multiple of the lane count"));
        });
    }
}
