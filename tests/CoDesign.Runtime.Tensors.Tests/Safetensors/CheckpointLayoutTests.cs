using System.Text;
using System.Text.Json.Nodes;
using CoDesign.Cli;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Tests.Safetensors;

/// <summary>
/// Real checkpoint layouts (issue 12): Hugging Face's sharded index, tensors the model does not use (of any dtype),
/// and the corruptions a header can carry (overlapping ranges, non-finite weights).
/// </summary>
public class CheckpointLayoutTests
{
    string _dir = null!;

    [SetUp] public void MakeDir() => _dir = Directory.CreateTempSubdirectory("codesign-ckpt-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CodesignApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    static byte[] WithHeader(string json, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(json);
        var b = new byte[8 + h.Length + data.Length];
        BitConverter.GetBytes((ulong)h.Length).CopyTo(b, 0);
        h.CopyTo(b, 8);
        data.CopyTo(b, 8 + h.Length);
        return b;
    }

    [Test]
    public void OverlappingDataOffsets_AreRefusedNamingBothTensors()
    {
        var file = WithHeader("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]);
        var e = Assert.Throws<InputException>(() => SafetensorsReader.Open(file, "x.safetensors"))!;
        Assert.That(e.Message, Does.Contain("'a'").And.Contain("'b'").And.Contain("overlap"));
    }

    [Test]
    public void NonFiniteWeights_AreRefusedNamingTheTensorAndElement()
    {
        var data = new byte[8];
        BitConverter.GetBytes(1f).CopyTo(data, 0);
        BitConverter.GetBytes(float.NaN).CopyTo(data, 4);
        var shard = SafetensorsReader.Open(WithHeader("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", data), "x.safetensors");
        var e = Assert.Throws<InputException>(() => shard.Read("w"))!;
        Assert.That(e.Message, Does.Contain("'w'").And.Contain("element 1").And.Contain("finite"));
    }

    string Model()
    {
        var dir = Path.Combine(_dir, "m");
        Assert.That(Run("make-model", "--preset", "tiny-dense", "--out", dir, "--seed", "1").Code, Is.Zero);
        return dir;
    }

    string Tokens(string dir)
    {
        var r = Run("run", "--model", dir, "--backend", "cpu", "--max-new-tokens", "3", "--format", "json");
        Assert.That(r.Code, Is.Zero, r.Err);
        return string.Join(";", JsonNode.Parse(r.Out)!["requests"]!.AsArray().Select(q => q!["generated"]!.ToJsonString()));
    }

    [Test]
    public void AnUnusedTensorOfAnotherDtype_IsIgnored()
    {
        var dir = Model();
        string before = Tokens(dir);
        // e.g. a rotary cache or position ids saved as I64: not a weight the model reads.
        File.WriteAllBytes(Path.Combine(dir, "extra.safetensors"),
            WithHeader("""{"model.position_ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}""", new byte[16]));
        Assert.That(Tokens(dir), Is.EqualTo(before));
    }

    [Test]
    public void AShardedCheckpoint_IsReadThroughItsIndex_AndAWrongIndexIsRefused()
    {
        var dir = Model();
        string before = Tokens(dir);
        var single = Path.Combine(dir, "model.safetensors");
        var all = SafetensorsReader.Read(single);
        int half = all.Count / 2;
        SafetensorsWriter.Write(Path.Combine(dir, "model-00001-of-00002.safetensors"), all.Take(half).ToList());
        SafetensorsWriter.Write(Path.Combine(dir, "model-00002-of-00002.safetensors"), all.Skip(half).ToList());
        // A stale whole-model file next to the shards is ignored: the index says where each tensor is.
        var map = new JsonObject();
        for (int i = 0; i < all.Count; i++) map[all[i].Name] = i < half ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        var index = Path.Combine(dir, "model.safetensors.index.json");
        File.WriteAllText(index, new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map }.ToJsonString());
        Assert.That(Tokens(dir), Is.EqualTo(before));

        map[all[0].Name] = "model-00002-of-00002.safetensors";
        File.WriteAllText(index, new JsonObject { ["weight_map"] = map.DeepClone() }.ToJsonString());
        var r = Run("run", "--model", dir, "--backend", "cpu", "--max-new-tokens", "3");
        Assert.That(r.Code, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain(all[0].Name).And.Contain("not in shard model-00002-of-00002.safetensors"));
    }
}
