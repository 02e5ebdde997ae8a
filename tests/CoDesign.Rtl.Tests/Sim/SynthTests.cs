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

    // Units yosys 0.23 could not read before (package import in a header, struct-returning functions, return
    // statements), on the ci configuration. Flip-flop bounds come from each unit's register inventory:
    // the SiLU unit holds busy, pend and five 32-bit counters/addresses (162 bits); the softmax unit holds
    // ten 32-bit registers plus its state (323-330 bits) and keeps its exponentials buffer in RAM on Xilinx
    // (flip-flops on the generic flow, which maps memories to registers); the controller holds its tile
    // walkers (over 600 bits); the GEMM module keeps its partial-sum buffer in flip-flops (2 tokens x 32 rows x
    // 32 bits = 2048) besides 30-bit products (2 x 8 lanes = 480), tree and accumulator registers (128) and
    // pipeline control (2676 in all), its input buffer in LUT RAM, and maps each lane's 11 x 11 significand
    // product to a DSP48E1 (16). The slice (--unit top) is left to the CLI (25-45 s).
    [TestCase("silu", "generic", 150, 170)]
    [TestCase("silu", "xilinx", 150, 170)]
    [TestCase("softmax", "xilinx", 300, 400)]
    [TestCase("ctrl", "generic", 600, 1200)]
    [TestCase("ctrl", "xilinx", 600, 1200)]
    [TestCase("gemm", "xilinx", 2600, 2750)]
    public async Task Unit_Synthesises_WithCellsAndFlipFlops(string unit, string target, int minFfs, int maxFfs)
    {
        Assume.That(ToolLocator.Find("yosys"), Is.Not.Null, "yosys is not installed (tools/setup.sh)");
        var r = await YosysSynth.RunAsync(unit, target, PimConfig.Ci(), TimeSpan.FromMinutes(2));
        TestContext.Out.WriteLine($"{unit} {target}: cells {r.Cells}, FFs {r.FlipFlops}, LUTs {r.Luts}, DSPs {r.Dsps}, {r.Seconds:0.0} s");
        Assert.Multiple(() =>
        {
            Assert.That(r.Cells, Is.GreaterThan(1000), "binary32 datapaths and 32-bit address arithmetic are thousands of cells");
            Assert.That(r.FlipFlops, Is.InRange(minFfs, maxFfs));
            if (target == "xilinx")
            {
                Assert.That(r.Luts, Is.GreaterThan(500));
                Assert.That(r.Dsps, Is.GreaterThanOrEqualTo(1), "multipliers map to DSP48E1");
            }
        });
    }

    [Test]
    public async Task UnknownUnit_IsAnInputError()
    {
        var ex = await Assert.ThrowsAsync<CoDesign.Schema.InputException>(() =>
            YosysSynth.RunAsync("dram", "generic", PimConfig.Ci(), TimeSpan.FromSeconds(5)));
        Assert.That(ex!.Message, Does.Contain("softmax").And.Contain("silu").And.Contain("ctrl"));
    }

    [Test]
    public void StatParser_ReadsTheTopBlock()
    {
        const string stat = "=== sub ===\n   Number of cells:  3\n     $_AND_  3\n\n=== top ===\n   Number of cells:  7\n     $_AND_   2\n     $_DFF_P_   5\n\n";
        Assert.That(YosysSynth.ParseCellTypes(stat), Is.EqualTo(new Dictionary<string, long> { ["$_AND_"] = 2, ["$_DFF_P_"] = 5 }));
    }
}
