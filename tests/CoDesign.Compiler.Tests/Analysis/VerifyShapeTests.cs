using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Graph;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Machine.Stages;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.Quantization;
using CoDesign.Schema.V1;
using static CoDesign.Compiler.Tests.Analysis.Stages;

namespace CoDesign.Compiler.Tests.Analysis;

/// <summary>A verify step of k drafts over a sliding-window KV, and quantised checkpoints read from quantization_config.</summary>
public class VerifyShapeTests
{
    static double F(StageShape s, StageFeature f) => s.Features[(int)f];

    // Hand counts, window W = 4: query i of a request at context c sees min(c + i, W) keys; the request's queries
    // together see its last W + q − 1 keys.
    [TestCase(10, 3, 33, 12, 12, 6)]   // all past the window: 10+11+12 pairs, 3 x 4 windowed; keys 7..12
    [TestCase(2, 3, 9, 9, 4, 4)]       // inside the window: 2+3+4 both ways; 4 keys
    [TestCase(3, 3, 12, 11, 5, 5)]     // crossing it: 3+4+5 vs 3+4+4; keys 1..5 of which all 5 fit W + q − 1 = 6
    public void VerifyStep_PairsAndKeysAreBoundedPerQuery(int context, int queries, double pairs, double windowedPairs, double keys, double windowedKeys)
    {
        var s = new StageShape(4);
        s.AddDecode(context, queries, context);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(F(s, StageFeature.DecodeTokens), Is.EqualTo(queries));
            Assert.That(F(s, StageFeature.DecodePairs), Is.EqualTo(pairs));
            Assert.That(F(s, StageFeature.DecodePairsWindowed), Is.EqualTo(windowedPairs));
            Assert.That(F(s, StageFeature.DecodeContext), Is.EqualTo(keys));
            Assert.That(F(s, StageFeature.DecodeContextWindowed), Is.EqualTo(windowedKeys));
        }
    }

    [Test]
    public void SharedPrefix_IsReadOnlyAsFarAsTheWindowReachesBack()
    {
        // W = 4, prefix 8 shared, the request holds 1 own token (context 9): the window covers 3 prefix keys + 1 own.
        var s = new StageShape(4);
        s.AddDecode(9, 1, 1);
        s.AddSharedKv(8, 1);
        var far = new StageShape(4);
        far.AddDecode(20, 1, 12);
        far.AddSharedKv(8, 12);   // 12 own tokens: the window never reaches the prefix
        using (Assert.EnterMultipleScope())
        {
            Assert.That(F(s, StageFeature.DecodeContextWindowed), Is.EqualTo(4));
            Assert.That(F(s, StageFeature.DecodeContext), Is.EqualTo(9));
            Assert.That(F(far, StageFeature.DecodeContextWindowed), Is.EqualTo(4));
        }
    }

    [Test]
    public void Mistral_VerifyAttentionPastTheWindow_CostsWindowedPairsAndOneWindowedRead()
    {
        var m = ModelLoader.WithTypes(HfConfigReader.Load(TestConfigs.Path_("mistral-7b-v0.1.json")), null, null, null);
        var p = ProgramCompiler.Compile(m, HardwarePresets.Duplex(), new SystemOptions(1));
        var s = StageShape.For(m);
        for (int i = 0; i < 4; i++) s.AddDecode(10000, 5, 10000);   // k = 4 drafts, far past the 4096 window
        var score = Row(StageAnalyzer.Analyze(p, s), OpNames.ScoreDecode).Counts;
        using (Assert.EnterMultipleScope())
        {
            // 32 heads x 128 x 2 FLOPs per (query, key) pair, 5 queries x 4096 keys each.
            Assert.That(score.Flops, Is.EqualTo(4.0 * 5 * 4096 * 2 * 32 * 128));
            // K of 4096 + 4 keys read once per request: 8 KV heads x 128 x 2 bytes.
            Assert.That(score.KvBytes, Is.EqualTo(4.0 * (4096 + 4) * 8 * 128 * 2));
        }
    }

    [TestCase("{\"quant_method\": \"gptq\", \"bits\": 4, \"group_size\": 128}", DataType.Int4, 128u, "int4 g128")]
    [TestCase("{\"quant_method\": \"awq\", \"bits\": 4, \"group_size\": 64}", DataType.Int4, 64u, "int4 g64")]
    [TestCase("{\"quant_method\": \"gptq\", \"bits\": 8, \"group_size\": -1}", DataType.Int8, 0u, "int8 per-channel")]
    [TestCase("{\"quant_method\": \"fp8\"}", DataType.Fp8, 0u, "fp8 per-channel")]
    public void QuantisationConfig_SetsTheWeightFormatAndIsListed(string q, DataType type, uint group, string label)
    {
        var m = HfConfigReader.Parse("""
            {"model_type": "mistral", "hidden_size": 256, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "intermediate_size": 512, "vocab_size": 1000, "quantization_config":
            """ + q + "}", "q.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.WeightType, Is.EqualTo(type));
            Assert.That(m.QuantGroupSize, Is.EqualTo(group));
            Assert.That(WeightFormat.Of(m).Label, Is.EqualTo(label));
            Assert.That(m.Features, Has.Some.Contains(label).And.Some.Contains("quantization_config"));
        }
    }
}
