using CoDesign.Compiler.Models;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Tests.Weights;

public class WeightsLoaderTests
{
    string _dir = null!;

    [SetUp] public void MakeDir() => _dir = Directory.CreateTempSubdirectory("codesign-weights-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    [Test]
    public void WrittenModelLoadsBackIdentically()
    {
        var w = TestModels.TinyDense;
        ModelDirectoryWriter.Write(w, _dir);
        var config = HfConfigReader.Load(Path.Combine(_dir, "config.json"));
        Assert.That(config.HiddenSize, Is.EqualTo(w.Config.HiddenSize));
        var back = WeightsLoader.Load(config, _dir);
        var a = RandomModel.AllTensors(w);
        var b = RandomModel.AllTensors(back);
        Assert.That(b.Select(t => t.Name), Is.EqualTo(a.Select(t => t.Name)));
        for (int i = 0; i < a.Count; i++) Assert.That(b[i].Values, Is.EqualTo(a[i].Values), a[i].Name);
        Assert.That(b[0].Storage, Is.EqualTo(TensorDType.BF16));
    }

    [Test]
    public void QwenMoeTensorNamesLoad()
    {
        // Rename a Mixtral-style model's expert tensors to Qwen-MoE names (mlp.gate, mlp.experts.E.{gate,up,down}_proj).
        var w = TestModels.TinyMoe;
        var renamed = RandomModel.AllTensors(w).Select(t => new HostTensor(t.Name
            .Replace("block_sparse_moe.gate.", "mlp.gate.").Replace("block_sparse_moe.experts.", "mlp.experts.")
            .Replace(".w1.", ".gate_proj.").Replace(".w3.", ".up_proj.").Replace(".w2.", ".down_proj."), t.Storage, t.Shape, t.Values)).ToList();
        SafetensorsWriter.Write(Path.Combine(_dir, "model.safetensors"), renamed);
        var back = WeightsLoader.Load(w.Config, _dir);
        Assert.That(back.Layers[2].Experts[7].Up.Values, Is.EqualTo(w.Layers[2].Experts[7].Up.Values));
        Assert.That(back.Layers[0].Router!.Name, Is.EqualTo("model.layers.0.mlp.gate.weight"));
    }

    [Test]
    public void MissingTensorIsNamed()
    {
        var tensors = RandomModel.AllTensors(TestModels.TinyDense).Where(t => t.Name != "model.layers.1.self_attn.k_proj.weight").ToList();
        SafetensorsWriter.Write(Path.Combine(_dir, "model.safetensors"), tensors);
        var e = Assert.Throws<InputException>(() => WeightsLoader.Load(TestModels.TinyDense.Config, _dir))!;
        Assert.That(e.Message, Does.Contain("missing tensor 'model.layers.1.self_attn.k_proj.weight'").And.Contain("[64, 256]"));
    }

    [Test]
    public void ShapeThatDisagreesWithConfigIsNamed()
    {
        ModelDirectoryWriter.Write(TestModels.TinyDense, _dir);
        var config = TestModels.TinyDense.Config.Clone();
        config.IntermediateSize = 384;
        var e = Assert.Throws<InputException>(() => WeightsLoader.Load(config, _dir))!;
        Assert.That(e.Message, Does.Contain("tensor 'model.layers.0.mlp.gate_proj.weight' has shape [512, 256] but config.json implies [384, 256]"));
    }

    [Test]
    public void SameSeedSameBytes()
    {
        var a = Path.Combine(_dir, "a"); var b = Path.Combine(_dir, "b");
        ModelDirectoryWriter.Write(RandomModel.Create(TinyPresets.TryGet("tiny-dense")!, 3, TensorDType.F16), a);
        ModelDirectoryWriter.Write(RandomModel.Create(TinyPresets.TryGet("tiny-dense")!, 3, TensorDType.F16), b);
        Assert.That(File.ReadAllBytes(Path.Combine(b, "model.safetensors")), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, "model.safetensors"))));
        Assert.That(File.ReadAllText(Path.Combine(b, "config.json")), Is.EqualTo(File.ReadAllText(Path.Combine(a, "config.json"))));
    }
}
