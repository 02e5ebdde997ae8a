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
}
