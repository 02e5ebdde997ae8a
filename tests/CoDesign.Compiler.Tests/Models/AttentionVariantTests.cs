using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Graph;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Machine.Stages;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;
using static CoDesign.Compiler.Tests.Analysis.Stages;

namespace CoDesign.Compiler.Tests.Models;

/// <summary>MLA, sliding windows, soft-capping and family defaults, checked on published config.json files.</summary>
public class AttentionVariantTests
{
    static ModelConfig Load(string file) => HfConfigReader.Load(TestConfigs.Path_(file));
    static Program Compile(ModelConfig m, int devices = 1) =>
        ProgramCompiler.Compile(ModelLoader.WithTypes(m, null, null, null), HardwarePresets.Duplex(), new SystemOptions(devices));

    [Test]
    public void DeepSeekV2Lite_KvCacheIsTheLatentPlusRopeKey_HandCount()
    {
        var m = Load("deepseek-v2-lite.json");
        // 27 layers x (kv_lora_rank 512 + qk_rope_head_dim 64) values x 2 bytes (bfloat16) = 31,104 bytes per token,
        // against 27 x 2 x 16 heads x 128 x 2 = 221,184 for 16-head MHA of head_dim 128 (7.1x).
        const double handCount = 27 * (512 + 64) * 2;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.Mla, Is.Not.Null);
            Assert.That(m.Mla.QLoraRank, Is.Zero, "q_lora_rank null: queries projected directly");
            Assert.That(ModelStats.KvBytesPerToken(m), Is.EqualTo(handCount));
            Assert.That(Compile(m).KvBytesPerTokenPerDevice, Is.EqualTo((ulong)handCount));
            Assert.That(Compile(m, devices: 2).KvBytesPerTokenPerDevice, Is.EqualTo((ulong)handCount),
                "every tensor-parallel rank holds the whole latent");
        }
    }

    [Test]
    public void DeepSeekV2Lite_ParameterCountsMatchTheModelCard()
    {
        var m = Load("deepseek-v2-lite.json");
        // q 2048x16x192 + kv_a 2048x576 + kv_b 512x16x(128+128) + o 16x128x2048
        double attention = 2048.0 * 16 * 192 + 2048 * 576 + 512 * 16 * 256 + 16 * 128 * 2048;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ModelStats.AttentionParams(m), Is.EqualTo(attention));
            Assert.That(ModelStats.TotalParams(m) / 1e9, Is.EqualTo(15.7).Within(0.05), "model card: 15.7B total");
        }
    }

    [Test]
    public void DeepSeekV2Lite_DecodeAttentionOpPerByteIsTheHeadCount()
    {
        var p = Compile(Load("deepseek-v2-lite.json"));
        var a = StageAnalyzer.Analyze(p, StageShape.Of(32, 4096));
        var score = Row(a, OpNames.ScoreDecode).Counts;
        var context = Row(a, OpNames.ContextDecode).Counts;
        using (Assert.EnterMultipleScope())
        {
            // Absorbed: all 16 heads score one cached latent, 2 FLOPs per value per head over 2-byte values.
            Assert.That(score.Flops / score.KvBytes, Is.EqualTo(16.0));
            Assert.That(context.Flops / context.KvBytes, Is.EqualTo(16.0));
            Assert.That(score.KvBytes, Is.EqualTo(32 * 4096.0 * 576 * 2));
            Assert.That(TryRow(a, OpNames.MlaAbsorbQueryDecode), Is.Not.Null);
            Assert.That(TryRow(a, OpNames.MlaAbsorbValueDecode), Is.Not.Null);
        }
    }

    [Test]
    public void Mla_WeightsAreCountedOnceAlthoughDecodeAndPrefillBothReadKvB()
    {
        var m = ModelLoader.WithTypes(Load("deepseek-v2-lite.json"), null, null, null);
        var p = Compile(m);
        double embeddingOnly = (double)m.VocabSize * m.HiddenSize * 2;   // untied: input embedding besides the LM head
        Assert.That(p.WeightBytesPerDevice, Is.EqualTo(ModelStats.WeightBytes(m)).Within(0.1).Percent,
            $"memory plan vs parameter count (embedding {embeddingOnly})");
    }

    [Test]
    public void Mla_PrefillUpProjectsTheVisibleLatents()
    {
        var p = Compile(Load("deepseek-v2-lite.json"));
        var shape = new StageShape();
        shape.AddPrefill(1024);
        var up = Row(StageAnalyzer.Analyze(p, shape), OpNames.MlaUpProjectPrefill).Counts;
        Assert.That(up.Flops, Is.EqualTo(1024.0 * 2 * 512 * 16 * (128 + 128)));
    }

    [TestCase(2000, 2000)]
    [TestCase(10000, 4096)]
    public void Mistral_DecodeKvReadIsBoundedByTheWindow(int context, int keysRead)
    {
        var m = Load("mistral-7b-v0.1.json");
        var p = Compile(m);
        var a = StageAnalyzer.Analyze(p, StageShape.Of(4, context, slidingWindowTokens: m.SlidingWindow));
        Assert.That(Row(a, OpNames.ScoreDecode).Counts.KvBytes, Is.EqualTo(4.0 * keysRead * 8 * 128 * 2));
        Assert.That(p.LayerKinds.Select(k => k.Name), Is.EqualTo(new[] { "dense-sliding" }));
    }

    [Test]
    public void Mistral_KvHeldPerSequenceIsBoundedByTheWindow()
    {
        var p = Compile(Load("mistral-7b-v0.1.json"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ProgramMemory.KvTokensHeld(p, 3000), Is.EqualTo(3000));
            Assert.That(ProgramMemory.KvTokensHeld(p, 8192), Is.EqualTo(4096), "every layer keeps only 4096 keys");
        }
    }

    [Test]
    public void Gemma2_AlternatesSlidingAndFullLayers()
    {
        var m = Load("gemma-2-9b.json");
        var p = Compile(ModelLoader.WithTypes(m, "bf16", "bf16", "bf16"));
        var kinds = p.LayerKinds.ToDictionary(k => k.Name, k => k.Layers.ToArray());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(kinds["dense-sliding"], Is.EqualTo(Enumerable.Range(0, 21).Select(i => (uint)(2 * i))), "even layers slide");
            Assert.That(kinds["dense"], Is.EqualTo(Enumerable.Range(0, 21).Select(i => (uint)(2 * i + 1))));
            // Half the layers hold 4096 keys: 21 x 8192 + 21 x 4096 over 42 layers.
            Assert.That(ProgramMemory.KvTokensHeld(p, 8192), Is.EqualTo(6144));
            Assert.That(m.TieWordEmbeddings, Is.True, "Gemma2Config ties by default");
            Assert.That(m.Activation, Is.EqualTo(Activation.GeluTanh));
            Assert.That(m.AttnLogitSoftcapping, Is.EqualTo(50.0));
            Assert.That(m.FinalLogitSoftcapping, Is.EqualTo(30.0));
            Assert.That(p.LayerKinds[0].Ops.Select(o => o.Name), Does.Contain(OpNames.NormPostAttention).And.Contain(OpNames.NormPostFfn));
        }
    }

    [Test]
    public void Gemma2_SoftcappingCostsThreeFlopsPerScore()
    {
        var capped = Load("gemma-2-9b.json");
        var plain = capped.Clone();
        plain.AttnLogitSoftcapping = 0;
        double Softmax(ModelConfig m) => Row(StageAnalyzer.Analyze(Compile(m), StageShape.Of(1, 100)), OpNames.SoftmaxDecode).Counts.Flops;
        Assert.That(Softmax(capped) - Softmax(plain), Is.EqualTo(3.0 * 16 * 100));
    }

    [TestCase(1, 0, 7)]
    [TestCase(5, 3, 4)]
    [TestCase(100, 0, 16)]
    [TestCase(10, 30, 16)]
    [TestCase(64, 10, 32)]
    public void WindowedPrefillPairs_EqualABruteForceCount(int chunk, int past, int window)
    {
        var shape = new StageShape(window);
        shape.AddPrefill(chunk, past);
        double pairs = 0;
        for (int j = past + 1; j <= past + chunk; j++) pairs += Math.Min(j, window);
        int firstKey = Math.Max(0, past + 1 - window);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(shape.Features[(int)StageFeature.PrefillPairsWindowed], Is.EqualTo(pairs));
            Assert.That(shape.Features[(int)StageFeature.PrefillContextWindowed], Is.EqualTo(past + chunk - firstKey));
        }
    }
}
