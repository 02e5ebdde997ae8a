using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using Google.Protobuf.Reflection;

namespace CoDesign.Schema.Tests.Hardware;

/// <summary>Hardware files people edit: readable JSON that round-trips, removed fields named, every field documented.</summary>
public class ReadableHardwareJsonTests
{
    static IEnumerable<string> Names => HardwarePresets.Names;

    [TestCaseSource(nameof(Names))]
    public void Preset_RoundTripsThroughItsFile(string name)
    {
        var hw = HardwarePresets.Get(name);
        var json = HardwareFile.ToJson(hw);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(HardwareFile.Parse(json, $"{name}.json"), Is.EqualTo(hw));
            Assert.That(HardwareFile.ToJson(HardwareFile.Parse(json, $"{name}.json")), Is.EqualTo(json), "stable text");
        }
    }

    [Test]
    public void Json_IsReadable_ShortEnumsNumbersAndNoEscapes()
    {
        var json = HardwareFile.ToJson(HardwarePresets.Duplex());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json, Does.Contain("\"kind\": \"logic_pim\"").And.Contain("\"dataType\": \"fp16\""));
            Assert.That(json, Does.Not.Contain("PROCESSOR_KIND_").And.Not.Contain("DATA_TYPE_"));
            Assert.That(json, Does.Contain($"\"capacityBytes\": {80UL << 30}"), "a number, not a string");
            Assert.That(json, Does.Contain("<= 8").And.Not.Contain("\\u003c"));
        }
    }

    [Test]
    public void OldStyleFile_FullEnumNamesAndStringNumbers_StillLoads()
    {
        var json = HardwareFile.ToJson(HardwarePresets.H100())
            .Replace("\"kind\": \"gpu\"", "\"kind\": \"PROCESSOR_KIND_GPU\"")
            .Replace($"\"capacityBytes\": {80UL << 30}", $"\"capacityBytes\": \"{80UL << 30}\"");
        Assert.That(HardwareFile.Parse(json, "old.json"), Is.EqualTo(HardwarePresets.H100()));
    }

    [Test]
    public void RemovedMemoryBandwidth_IsRefusedSayingWhatToEditInstead()
    {
        var json = HardwareFile.ToJson(HardwarePresets.H100()).Replace("\"memory\": {", "\"memory\": { \"bandwidthBytesPerS\": 5e12,");
        var e = Assert.Throws<InputException>(() => HardwareFile.Parse(json, "old.json"));
        Assert.That(e!.Message, Does.Contain("memory.bandwidthBytesPerS was removed").And.Contain("memoryBandwidthBytesPerS"));
    }

    [Test]
    public void UnknownEnumName_ListsTheShortNames()
    {
        var json = HardwareFile.ToJson(HardwarePresets.H100()).Replace("\"kind\": \"gpu\"", "\"kind\": \"tpu\"");
        var e = Assert.Throws<InputException>(() => HardwareFile.Parse(json, "x.json"));
        Assert.That(e!.Message, Does.Contain("processors[0].kind").And.Contain("'tpu'").And.Contain("gpu, xpu, logic_pim"));
    }

    [Test]
    public void H200_IsTheDataSheetsCapacityAndBandwidth()
    {
        var hw = HardwarePresets.Get("h200");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hw.Memory.CapacityBytes, Is.EqualTo(141_000_000_000UL));
            Assert.That(hw.Processors.Single().MemoryBandwidthBytesPerS, Is.EqualTo(4.8e12));
            Assert.That(hw.Processors.Single().Source + hw.Memory.Source, Does.Contain("H200 data sheet"));
        }
    }

    /// <summary>Fields of this ranges (below 100, and 150-199); other ranges' owners document theirs.</summary>
    static IEnumerable<(string Message, FieldDescriptor Field)> OwnFields()
    {
        var seen = new HashSet<string>();
        var todo = new Queue<MessageDescriptor>([Schema.V1.Hardware.Descriptor]);
        while (todo.Count > 0)
        {
            var d = todo.Dequeue();
            if (!seen.Add(d.FullName)) continue;
            foreach (var f in d.Fields.InDeclarationOrder())
            {
                if (f.FieldType == FieldType.Message) todo.Enqueue(f.MessageType);
                if (f.FieldNumber < 100 || f.FieldNumber is >= 150 and < 200) yield return (d.Name, f);
            }
        }
    }

    [Test]
    public void EveryField_HasAUnitAndMeaning_AndIsInTheDocs()
    {
        var docs = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "hardware.md"));
        var missing = OwnFields().Where(x => !HardwareFieldDocs.Fields.ContainsKey($"{x.Message}.{x.Field.Name}")).Select(x => $"{x.Message}.{x.Field.Name}").ToList();
        var undocumented = OwnFields().Where(x => !docs.Contains($"`{x.Field.JsonName}`")).Select(x => x.Field.JsonName).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(missing, Is.Empty, "add them to HardwareFieldDocs");
            Assert.That(undocumented, Is.Empty, "add them to docs/hardware.md");
        }
    }

    [Test]
    public void Explain_ListsEveryFieldOfEveryProcessorWithItsSource()
    {
        var rows = HardwareExplainer.Explain(HardwarePresets.Duplex());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r.Field), Does.Contain("processors[logic_pim].memoryBandwidthBytesPerS")
                .And.Contain("memory.capacityBytes").And.Contain("memory.timing.nRefi").And.Contain("interconnect.interNode.energyJPerBit"));
            var bw = rows.Single(r => r.Field == "processors[xpu].memoryBandwidthBytesPerS");
            Assert.That((bw.Unit, bw.Source), Is.EqualTo(("B/s", HardwarePresets.Duplex().Processors[0].Source)));
            Assert.That(rows.Single(r => r.Field == "processors[xpu].opOverheadS").Source, Is.EqualTo("default"), "unset fields say so");
            Assert.That(rows.Where(r => r.Meaning.StartsWith("(not yet")), Is.Empty);
        }
    }

    static string RepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CoDesign.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
