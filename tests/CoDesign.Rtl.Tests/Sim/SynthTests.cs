// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Build;
using CoDesign.Rtl.Synth;

namespace CoDesign.Rtl.Tests.Sim;

[Category("Yosys")]
public class SynthTests
{
    [Test]
    public async Task MacLane_SynthesisesForXilinx_WithLutsAndADsp()
    {
        Assume.That(ToolLocator.Find("yosys"), Is.Not.Null, "yosys is not installed (tools/setup.sh)");
        var r = await YosysSynth.RunAsync("mac", "xilinx", PimConfig.Ci(), TimeSpan.FromMinutes(2));
        Assert.Multiple(() =>
        {
            Assert.That(r.Luts, Is.GreaterThan(100), "a binary32 adder needs hundreds of LUTs");
            Assert.That(r.Dsps, Is.GreaterThanOrEqualTo(1), "the 11x11 significand product maps to a DSP");
            Assert.That(r.FlipFlops, Is.Zero, "the lane is combinational");
        });
    }

    [Test]
    public void StatParser_ReadsTheTopBlock()
    {
        const string stat = "=== sub ===\n   Number of cells:  3\n     $_AND_  3\n\n=== top ===\n   Number of cells:  7\n     $_AND_   2\n     $_DFF_P_   5\n\n";
        Assert.That(YosysSynth.ParseCellTypes(stat), Is.EqualTo(new Dictionary<string, long> { ["$_AND_"] = 2, ["$_DFF_P_"] = 5 }));
    }
}
