using System.Text.Json.Nodes;
using CoDesign.Cli;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Quantization;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Tests.Quantization;

/// <summary>
/// GPTQ checkpoints end to end: make-model writes the Hugging Face GPTQ tensors and quantization_config, run and
/// validate read them, the cpu kernel on packed codes equals the dequantised product, layouts we do not read are refused.
/// </summary>
public class GptqCheckpointTests
{
    string _dir = null!;

    [SetUp] public void MakeDir() => _dir = Directory.CreateTempSubdirectory("codesign-gptq-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CodesignApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    string Make(string bits, string group, string preset = "tiny-dense")
    {
        var dir = Path.Combine(_dir, $"{preset}-{bits}-{group}");
        var r = Run("make-model", "--preset", preset, "--out", dir, "--seed", "3", "--weight-type", bits, "--group-size", group);
        Assert.That(r.Code, Is.Zero, r.Err);
        return dir;
    }

    [Test]
    public void MakeModel_WritesGptqTensorsAndConfig()
    {
        var dir = Make("int4", "64");
        var shard = SafetensorsReader.Open(Path.Combine(dir, "model.safetensors"));
        string q = "model.layers.0.self_attn.q_proj";
        Assert.That(shard.Has(q + ".weight"), Is.False);
        // hidden 256, q dim 256, int4: 8 codes per int32; 256 / 64 = 4 groups.
        Assert.That(shard.EntryOf(q + ".qweight").Shape, Is.EqualTo(new[] { 32, 256 }));
        Assert.That(shard.EntryOf(q + ".qweight").DTypeName, Is.EqualTo("I32"));
        Assert.That(shard.EntryOf(q + ".qzeros").Shape, Is.EqualTo(new[] { 4, 32 }));
        Assert.That(shard.EntryOf(q + ".scales").Shape, Is.EqualTo(new[] { 4, 256 }));
        Assert.That(shard.EntryOf(q + ".scales").DTypeName, Is.EqualTo("F16"));
        Assert.That(shard.ReadInt32(q + ".g_idx"), Is.EqualTo(Enumerable.Range(0, 256).Select(i => i / 64)));
        Assert.That(shard.Has("model.embed_tokens.weight") && shard.Has("lm_head.weight"), Is.True, "embeddings and LM head stay float");
        var qc = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!["quantization_config"]!;
        Assert.That((string?)qc["quant_method"], Is.EqualTo("gptq"));
        Assert.That((int)qc["bits"]!, Is.EqualTo(4));
        Assert.That((int)qc["group_size"]!, Is.EqualTo(64));
    }

    [TestCase("int4", "128", "cpu")]
    [TestCase("int8", "0", "cpu")]
    [TestCase("int4", "128", "gpu")]
    public void Validate_PassesAgainstTheDequantisedReference(string bits, string group, string backend)
    {
        var dir = Make(bits, group, "tiny-moe");
        var r = Run("validate", "--model", dir, "--backend", backend, "--max-new-tokens", "2");
        Assert.That(r.Code, Is.Zero, r.Out + r.Err);
        Assert.That(r.Out, Does.Contain("PASS"));
    }

    [Test]
    public void CpuKernel_OnPackedCodes_EqualsTheDequantisedProduct()
    {
        var w = TestModels.TinyMoe;
        var q = GptqCheckpoint.Quantise(w, 4, 128);
        var lin = q.Layers[0].Experts[0].Down;
        Assert.That(lin.Gptq, Is.Not.Null);
        var plain = new HostTensor("plain", TensorDType.F32, lin.Shape, lin.Values);
        var x = Enumerable.Range(0, 3 * lin.Cols).Select(i => Math.Sin(i * 0.37)).ToArray();
        using var cpu = new CpuBackend();
        var packed = cpu.Linear(OpKind.Expert, x, 3, lin);
        var dense = new ReferenceBackend().Linear(OpKind.Expert, x, 3, plain);
        for (int i = 0; i < packed.Length; i++) Assert.That(packed[i], Is.EqualTo(dense[i]).Within(1e-4 * (1 + Math.Abs(dense[i]))));
        // And the quantisation changed the weights (the run is not secretly on the float ones).
        Assert.That(lin.Values, Is.Not.EqualTo(w.Layers[0].Experts[0].Down.Values));
    }

    [TestCase("int4", "100", "does not divide K = 256")]
    [TestCase("int3", "128", "is not one of int4, int8")]
    [TestCase("int4", "-5", "--group-size")]
    public void MakeModel_BadValues_Exit2OneLine(string bits, string group, string named)
    {
        var dir = Path.Combine(_dir, "bad");
        var r = Run("make-model", "--preset", "tiny-dense", "--out", dir, "--weight-type", bits, "--group-size", group);
        Assert.That(r.Code, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain(named));
        Assert.That(r.Err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.Exists(dir), Is.False, "nothing half-written");
    }

    [TestCase("awq", null, "awq int4")]
    [TestCase("gptq", "gptq_v2", "checkpoint_format")]
    public void OtherLayouts_Refused(string method, string? format, string named)
    {
        var dir = Make("int4", "128");
        var path = Path.Combine(dir, "config.json");
        var c = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        c["quantization_config"]!["quant_method"] = method;
        if (format is not null) c["quantization_config"]!["checkpoint_format"] = format;
        File.WriteAllText(path, c.ToJsonString());
        var r = Run("run", "--model", dir, "--backend", "cpu", "--max-new-tokens", "1");
        Assert.That(r.Code, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(named).And.Contain("not read by the tensor runtime"));
        Assert.That(r.Err.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void ActOrderGIdx_Refused()
    {
        var dir = Make("int4", "128");
        var file = Path.Combine(dir, "model.safetensors");
        var shard = SafetensorsReader.Open(file);
        var raws = shard.Entries.Select(e => e.Name.EndsWith("layers.1.mlp.up_proj.g_idx", StringComparison.Ordinal)
            ? RawTensor.Int32(e.Name, e.Shape, [.. Enumerable.Range(0, e.Shape[0]).Select(i => (i + 1) % 2)])
            : e.DTypeName == "I32" ? RawTensor.Int32(e.Name, e.Shape, shard.ReadInt32(e.Name))
            : RawTensor.F16Bits(e.Name, e.Shape, shard.ReadF16Bits(e.Name))).ToList();
        SafetensorsWriter.WriteRaw(file, raws);
        var r = Run("run", "--model", dir, "--backend", "cpu", "--max-new-tokens", "1");
        Assert.That(r.Code, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain("act-order"));
    }
}
