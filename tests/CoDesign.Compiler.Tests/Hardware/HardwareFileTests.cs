using CoDesign.Schema;
using CoDesign.Schema.Hardware;

namespace CoDesign.Compiler.Tests.Hardware;

public class HardwareFileTests
{
    [Test]
    public void ModifiedPresetJson_ParsesWithTheChange()
    {
        var json = HardwareFile.ToJson(HardwarePresets.Duplex()).Replace("\"name\": \"duplex\"", "\"name\": \"my-duplex\"");
        Assert.That(HardwareFile.Parse(json, "my.json").Name, Is.EqualTo("my-duplex"));
    }

    [Test]
    public void JsonUsesProtobufCamelCaseFieldNames()
    {
        var json = HardwareFile.ToJson(HardwarePresets.Duplex());
        Assert.That(json, Does.Contain("\"memoryBandwidthBytesPerS\"").And.Contain("\"flopsPerS\""));
    }

    [Test]
    public void MalformedJson_IsAnInputErrorNamingTheFile()
    {
        var e = Assert.Throws<InputException>(() => HardwareFile.Parse("{ \"name\": ", "broken.json"));
        Assert.That(e.Message, Does.Contain("broken.json").And.Contain("not valid hardware JSON"));
    }

    [Test]
    public void UnknownField_IsRejected()
    {
        var e = Assert.Throws<InputException>(() => HardwareFile.Parse("{ \"name\": \"x\", \"flux\": 3 }", "typo.json"));
        Assert.That(e.Message, Does.Contain("typo.json").And.Contain("flux"));
    }

    [Test]
    public void ParsedFile_IsValidated()
    {
        var e = Assert.Throws<InputException>(() => HardwareFile.Parse("{ \"name\": \"empty\" }", "empty.json"));
        Assert.That(e.Message, Does.Contain("no processor"));
    }

    [Test]
    public void Resolve_PrefersPresetNameThenExistingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"codesign-hw-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, HardwareFile.ToJson(HardwarePresets.BankPim()));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(HardwareFile.Resolve("duplex").Name, Is.EqualTo("duplex"));
                Assert.That(HardwareFile.Resolve(path), Is.EqualTo(HardwarePresets.BankPim()));
                Assert.That(() => HardwareFile.Resolve(path + ".missing"), Throws.TypeOf<InputException>().With.Message.Contains("neither a preset"));
            }
        }
        finally { File.Delete(path); }
    }
}
