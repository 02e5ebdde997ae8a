using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Tests.Models;

/// <summary>The five models of the Duplex evaluation (docs/reference/duplex-spec.md §5) and the tiny real-tensor models.</summary>
public class ModelPresetsTests
{
    static ModelConfig Preset(string name) =>
        ModelPresets.TryGet(name, out var m) ? m : throw new AssertionException($"preset {name} is missing");

    // Paper parameter counts (docs/reference/duplex-spec.md §5; Mixtral 46.7B and Llama 3 70.6B from the model cards).
    [TestCase("mixtral-8x7b", 46.7)]
    [TestCase("grok-1", 314.0)]
    [TestCase("opt-66b", 66.0)]
    [TestCase("llama3-70b", 70.6)]
    [TestCase("glam-143b", 143.0)]
    public void PaperPreset_ParameterCountMatchesThePaper(string name, double billions)
    {
        Assert.That(ModelStats.TotalParams(Preset(name)) / 1e9, Is.EqualTo(billions).Within(1).Percent);
    }

    // layers, hidden, intermediate, heads, kv heads, experts, top-k, vocab (docs/reference/duplex-spec.md §5 table)
    [TestCase("mixtral-8x7b", 32u, 4096u, 14336u, 32u, 8u, 8u, 2u, 32000u)]
    [TestCase("glam-143b", 32u, 4096u, 16384u, 32u, 32u, 64u, 2u, 256000u)]
    [TestCase("grok-1", 64u, 6144u, 32768u, 48u, 8u, 8u, 2u, 131072u)]
    [TestCase("opt-66b", 64u, 9216u, 36864u, 72u, 72u, 0u, 0u, 50272u)]
    [TestCase("llama3-70b", 80u, 8192u, 28672u, 64u, 8u, 0u, 0u, 128256u)]
    public void PaperPreset_HasTheTableValues(string name, uint layers, uint hidden, uint intermediate, uint heads,
        uint kvHeads, uint experts, uint topK, uint vocab)
    {
        var m = Preset(name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.NumLayers, Is.EqualTo(layers));
            Assert.That(m.HiddenSize, Is.EqualTo(hidden));
            Assert.That(experts > 0 ? m.ExpertIntermediateSize : m.IntermediateSize, Is.EqualTo(intermediate));
            Assert.That(m.NumAttentionHeads, Is.EqualTo(heads));
            Assert.That(m.NumKvHeads, Is.EqualTo(kvHeads));
            Assert.That(m.NumExperts, Is.EqualTo(experts));
            Assert.That(m.ExpertsPerToken, Is.EqualTo(topK));
            Assert.That(m.VocabSize, Is.EqualTo(vocab));
            Assert.That(m.HeadDim, Is.EqualTo(128), "all evaluated models use head dim 128");
            Assert.That(m.WeightType, Is.EqualTo(DataType.Fp16), "all FP16");
            Assert.That(m.MoeLayers, Has.Count.EqualTo((int)layers));
        }
    }

    [Test]
    public void Glam_AlternatesDenseAndMoeBlocksWithTwoMatrixFfn()
    {
        var m = Preset("glam-143b");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.FfnKind, Is.EqualTo(FfnKind.TwoMatrix));
            Assert.That(ModelStats.MoeLayerCount(m), Is.EqualTo(16));
            for (int i = 1; i < m.MoeLayers.Count; i++)
                Assert.That(m.MoeLayers[i], Is.Not.EqualTo(m.MoeLayers[i - 1]), $"layers {i - 1} and {i} alternate");
        }
    }

    [TestCase("mixtral-8x7b", FfnKind.GatedSilu, 32)]
    [TestCase("grok-1", FfnKind.GatedSilu, 64)]
    [TestCase("llama3-70b", FfnKind.GatedSilu, 0)]
    [TestCase("opt-66b", FfnKind.TwoMatrix, 0)]
    public void PaperPreset_FfnKindAndSparseLayers(string name, FfnKind ffn, int moeLayers)
    {
        var m = Preset(name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.FfnKind, Is.EqualTo(ffn));
            Assert.That(ModelStats.MoeLayerCount(m), Is.EqualTo(moeLayers));
        }
    }

    [Test]
    public void EveryListedPreset_LoadsThroughTheLoader()
    {
        using (Assert.EnterMultipleScope())
            foreach (var name in ModelPresets.AllNames)
            {
                var m = ModelLoader.Resolve(name);
                Assert.That(m.Name, Is.EqualTo(name));
                Assert.That(m.NumAttentionHeads % m.NumKvHeads, Is.Zero, name);
                Assert.That(m.MoeLayers, Has.Count.EqualTo((int)m.NumLayers), name);
                Assert.That(ModelStats.TotalParams(m), Is.Positive, name);
            }
    }

    [TestCase("tiny-moe", 8u)]
    [TestCase("tiny-dense", 0u)]
    public void TinyPreset_CompilesOnOneDuplexDevice(string name, uint experts)
    {
        var m = ModelLoader.Resolve(name);
        var p = ProgramCompiler.Compile(m, HardwarePresets.Duplex(), new SystemOptions(Devices: 1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.NumExperts, Is.EqualTo(experts));
            Assert.That(m.NumAttentionHeads / m.NumKvHeads, Is.GreaterThan(1), "tiny models keep GQA");
            Assert.That(p.LocalExperts, Is.EqualTo(experts));
            // Weights of one device equal the model's weights when nothing is split.
            Assert.That((double)p.WeightBytesPerDevice, Is.EqualTo(ModelStats.WeightBytes(m)).Within(0.5).Percent);
        }
    }

    [Test]
    public void WithTypes_SetsEachTypeSeparatelyAndDefaultsToFp16()
    {
        var m = ModelLoader.WithTypes(ModelLoader.Resolve("llama3-70b"), "int4", null, "fp8");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.WeightType, Is.EqualTo(DataType.Int4));
            Assert.That(m.ActivationType, Is.EqualTo(DataType.Fp16));
            Assert.That(m.KvCacheType, Is.EqualTo(DataType.Fp8));
            // Linear layers int4 with an FP16 scale and an int4 zero point per 128 weights (every K of llama3-70b
            // is a multiple of 128); the untied embeddings and LM head stay fp16.
            double embeddings = 2.0 * 128256 * 8192;
            Assert.That(ModelStats.WeightBytes(m),
                Is.EqualTo((ModelStats.TotalParams(m) - embeddings) * (0.5 + 2.5 / 128) + embeddings * 2).Within(1e-9).Percent);
            Assert.That(ModelStats.KvBytesPerToken(m), Is.EqualTo(2.0 * 80 * 8 * 128 * 1));
        }
    }
}
