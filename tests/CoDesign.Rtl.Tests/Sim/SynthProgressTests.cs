// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Synth;

namespace CoDesign.Rtl.Tests.Sim;

/// <summary>`rtl synth` progress: the synthesis script's passes counted from yosys's help and its log.</summary>
public class SynthProgressTests
{
    /// <summary>The script section of yosys 0.23's "help synth", abridged to the lines whose conditions matter.</summary>
    const string Help = """
        The following commands are executed by this synthesis command:

            begin:
                hierarchy -check [-top <top> | -auto-top]

            coarse:
                proc
                flatten      (if -flatten)
                opt_expr
                techmap -map +/cmp2lut.v -map +/cmp2lcu.v     (if -lut)
                alumacc      (unless -noalumacc)

            fine:
                clean; opt_lut               (if -noabc and -lut)
                abc -fast           (unless -noabc, unless -lut)
                abc -fast -lut k    (unless -noabc, if -lut)

        End of script. Logfile hash: 19aea7392d
        """;

    [Test]
    public void Script_passes_are_counted_with_their_conditions()
    {
        Assert.That(SynthProgress.CountPasses(Help, ["-top", "x"]), Is.EqualTo(5), "hierarchy, proc, opt_expr, alumacc, abc -fast");
        Assert.That(SynthProgress.CountPasses(Help, ["-top", "x", "-flatten"]), Is.EqualTo(6));
        Assert.That(SynthProgress.CountPasses(Help, ["-lut"]), Is.EqualTo(6), "cmp2lut and abc -lut instead of abc -fast");
        Assert.That(SynthProgress.Parse("6.23. Executing ABC pass (technology mapping using ABC).", 6), Is.EqualTo((23, "abc")));
        Assert.That(SynthProgress.Parse("6.23.1. Extracting gate netlist", 6), Is.Null, "nested steps are not passes");
        Assert.That(SynthProgress.Parse("5.1. Analyzing design hierarchy..", 6), Is.Null, "another command's steps");
        Assert.That(SynthProgress.CommandNumber("6. Executing SYNTH pass.", "synth"), Is.EqualTo(6));
    }

    [Test, Category("Yosys")]
    public async Task Mac_lane_synthesis_reports_every_pass_up_to_the_total()
    {
        Assume.That(ToolLocator.Find("yosys"), Is.Not.Null, "yosys is not installed (tools/setup.sh)");
        var seen = new List<(int Done, int Total, string Pass)>();
        var r = await YosysSynth.RunAsync("mac", "generic", PimConfig.Ci(), TimeSpan.FromMinutes(2), onPass: (d, t, p) => seen.Add((d, t, p)));
        Assert.That(r.Cells, Is.GreaterThan(1000));
        int total = seen[0].Total;
        Assert.That(total, Is.GreaterThan(20), "synth -flatten runs some 27 passes");
        Assert.That(seen.Select(s => s.Total).Distinct(), Is.EqualTo(new[] { total }));
        Assert.That(seen.Select(s => s.Done), Is.Ordered.Ascending);
        Assert.That(seen[^1], Is.EqualTo((total, total, "done")));
        Assert.That(seen.Count(s => s.Pass == "abc"), Is.EqualTo(1), "each pass once");
        Assert.That(seen[^2].Done, Is.GreaterThanOrEqualTo(total - 2), "the passes logged account for the script");
    }
}
