using System.Text.Json;
using CoDesign.Schema.Hardware;

namespace CoDesign.Cli.Tests.Commands.Hardware;

public class HardwareCommandTests
{
    [Test]
    public void NoArgument_ListsEveryPreset()
    {
        var r = Cli.Run("hardware");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using (Assert.EnterMultipleScope())
            foreach (var name in HardwarePresets.Names) Assert.That(r.Out, Does.Contain(name));
    }

    [Test]
    public void ListAsJson_HasSnakeCaseKeys()
    {
        var r = Cli.Run("hardware", "--format", "json");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        var items = doc.RootElement.EnumerateArray().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(items.Select(i => i.GetProperty("name").GetString()), Is.EqualTo(HardwarePresets.Names));
            Assert.That(items[0].GetProperty("capacity_bytes").GetUInt64(), Is.EqualTo(80UL << 30));
        }
    }

    [TestCase("duplex")]
    [TestCase("bank-pim")]
    public void Preset_PrintsAsAHardwareFileThatParsesBack(string name)
    {
        var r = Cli.Run("hardware", name);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(HardwareFile.Parse(r.Out, "stdout"), Is.EqualTo(HardwarePresets.Get(name)));
    }

    [Test]
    public void UnknownPreset_ExitsTwo()
    {
        var r = Cli.Run("hardware", "tpu-v9");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("tpu-v9"));
        }
    }

    [Test]
    public void PresetWithFormatTable_PrintsATableOfFields()
    {
        var r = Cli.Run("hardware", "h200", "--format", "table");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
            Assert.That(r.Out.TrimStart(), Does.Not.StartWith("{"));
            Assert.That(r.Out, Does.Contain("processors[gpu].memoryBandwidthBytesPerS").And.Contain("4.8E+12").And.Contain("B/s"));
        }
    }

    [Test]
    public void ExplainFile_PrintsEveryFieldWithUnitMeaningAndSource()
    {
        var path = Path.Combine(Path.GetTempPath(), $"codesign-explain-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, HardwareFile.ToJson(HardwarePresets.Duplex()));
            var r = Cli.Run("hardware", "--explain", path, "--format", "csv");
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
            var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(lines[0].TrimEnd('\r'), Is.EqualTo("field,value,unit,meaning,source"));
                Assert.That(lines, Has.Length.EqualTo(HardwareExplainer.Explain(HardwarePresets.Duplex()).Count + 1));
                Assert.That(r.Out, Does.Contain("memory.capacityBytes,").And.Contain("[T] 5 x 16 GB HBM3 stacks"));
            }
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void ExplainWithoutAName_ExitsTwo()
    {
        var r = Cli.Run("hardware", "--explain");
        Assert.That((r.ExitCode, r.ErrLines.Length), Is.EqualTo((2, 1)), r.ToString());
    }
}
