using System.Text.Json.Nodes;

namespace CoDesign.Cli.Tests.Guards;

/// <summary>
/// Memory geometry arithmetic is checked in 64 bits (issue 16): uint32 factors whose product wraps a ulong, or wraps
/// to zero, are one exit-2 line naming the field, never a wrapped capacity or a division by zero.
/// </summary>
public class HardwareGeometryTests
{
    static CliResult AnalyzeWith(Action<JsonObject> edit)
    {
        using var dir = Cli.TempDir();
        var hw = JsonNode.Parse(Cli.Run("hardware", "duplex").Out)!.AsObject();
        edit(hw["memory"]!.AsObject());
        var path = dir.File("hw.json");
        File.WriteAllText(path, hw.ToJsonString());
        return Cli.Run("analyze", "--model", "tiny-moe", "--hardware", path, "--decode", "4");
    }

    [TestCase("rowsPerBank", "columnsPerRow", "bytesPerColumn")]
    [TestCase("stacks", "pseudoChannelsPerStack", "ranks")]
    [TestCase("bankGroups", "banksPerGroup", "rowsPerBank")]
    public void HugeGeometry_ExitsTwoNamingTheOverflowingField(string a, string b, string c)
    {
        var r = AnalyzeWith(m => { m[a] = 4294967295; m[b] = 4294967295; m[c] = 4294967295; });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("overflows 64 bits at").And.Contain("= 4294967295"));
            Assert.That(r.Out, Is.Empty);
        }
    }

    [Test]
    public void ProductWrappingToZero_ExitsTwo_NotDivideByZero()
    {
        // 2^16 * 2^16 * 2^16 * 2^16 = 2^64 wraps to exactly 0 unchecked, which the rows-needed hint would divide by.
        var r = AnalyzeWith(m => { m["ranks"] = 65536; m["bankGroups"] = 65536; m["banksPerGroup"] = 65536; m["columnsPerRow"] = 65536; });
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Err, Does.Contain("overflows 64 bits at"));
    }

    [Test]
    public void LargeButFittingGeometry_IsRefusedByTheCapacityBound()
    {
        // Fits in 64 bits (2^60 bytes) but exceeds the 1 PiB plausibility bound of HardwareLimits.
        var r = AnalyzeWith(m => { m["rowsPerBank"] = 1 << 24; m["columnsPerRow"] = 1 << 16; m["stacks"] = 64; m["pseudoChannelsPerStack"] = 256; });
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.ErrLines, Has.Length.EqualTo(1));
    }

    [TestCase("nCwl", 1000000, "[0, 255]")]
    [TestCase("nBl", 0, "[1, 255]")]
    [TestCase("nRefi", 0, "[1, 1048576]")]
    [TestCase("nRfcSb", 4000, "more than half of nRefi")]
    public void ImplausibleDramTiming_ExitsTwoNamingTheField(string field, long value, string expected)
    {
        var r = AnalyzeWith(m => m["timing"]![field] = value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Err, Does.Contain($"memory.timing.{field}").And.Contain(expected));
        }
    }
}
