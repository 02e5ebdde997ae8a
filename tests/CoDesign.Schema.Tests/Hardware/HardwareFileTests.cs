using CoDesign.Schema;
using CoDesign.Schema.Hardware;

namespace CoDesign.Schema.Tests.Hardware;

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
    public void ProtoFieldNames_AreAcceptedToo()
    {
        var hw = HardwarePresets.Duplex();
        var snake = new Google.Protobuf.JsonFormatter(Google.Protobuf.JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true)).Format(hw);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(snake, Does.Contain("\"memory_bandwidth_bytes_per_s\""));
            Assert.That(HardwareFile.Parse(snake, "snake.json"), Is.EqualTo(hw));
        }
    }

    [Test]
    public void MinimalFile_WithoutGeometryTimingOrInterconnect_IsValid()
    {
        const string json = """
            { "name": "minimal",
              "processors": [ { "name": "gpu", "kind": "PROCESSOR_KIND_GPU", "memoryBandwidthBytesPerS": 2e12,
                                "peak": [ { "dataType": "DATA_TYPE_FP16", "flopsPerS": 3e14 } ] } ],
              "memory": { "capacityBytes": "42949672960" } }
            """;
        var hw = HardwareFile.Parse(json, "minimal.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hw.Memory.CapacityBytes, Is.EqualTo(40UL << 30));
            Assert.That(hw.Interconnect, Is.Null);
        }
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
