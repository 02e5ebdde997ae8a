using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Graph;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Machine.Stages;
using CoDesign.Schema.Hardware;
using static CoDesign.Compiler.Tests.Analysis.Stages;

namespace CoDesign.Compiler.Tests.Analysis;

/// <summary>Weights, activations and KV cache have separate types; their sizes move Op/B as the byte counts say.</summary>
public class DataTypeTests
{
    static StageAnalysis Analyze(string model, int devices, string? weight, string? activation, string? kv, int decode = 16) =>
        StageAnalyzer.Analyze(
            ProgramCompiler.Compile(ModelLoader.WithTypes(ModelLoader.Resolve(model), weight, activation, kv), HardwarePresets.Duplex(), new SystemOptions(devices)),
            StageShape.Of(decode, 2048));

    // Bytes per weight of llama3-70b's QKV (K = 8192): element, plus per group an FP16 scale and (integers) a
    // zero point at the weight's width; int formats default to groups of 128, fp8 to one scale per column.
    [TestCase("fp16", 2.0)]
    [TestCase("fp8", 1.0 + 2.0 / 8192)]
    [TestCase("int8", 1.0 + 3.0 / 128)]
    [TestCase("int4", 0.5 + 2.5 / 128)]
    public void NarrowerWeights_RaiseProjectionFlopsPerWeightByte(string weight, double bytesPerWeight)
    {
        var a = Analyze("llama3-70b", 4, weight, null, null);
        var qkv = Row(a, OpNames.QkvProjection);
        // 2 FLOPs per weight per token, 16 tokens.
        Assert.That(qkv.Counts.Flops / qkv.Counts.WeightBytes, Is.EqualTo(32 / bytesPerWeight).Within(1e-9).Percent);
    }

    [TestCase("fp16", 1.0)]
    [TestCase("fp8", 2.0)]
    [TestCase("int4", 4.0)]
    public void NarrowerKvCache_RaisesDecodeAttentionOpPerByte(string kv, double factor)
    {
        var a = Analyze("mixtral-8x7b", 4, null, null, kv);
        var score = Row(a, OpNames.ScoreDecode);
        using (Assert.EnterMultipleScope())
        {
            // 2 FLOPs per (query head, key element); a key element takes 2 / factor bytes; GQA group 4.
            Assert.That(score.Counts.Flops / score.Counts.KvBytes, Is.EqualTo(4 * factor));
            Assert.That(score.Counts.WeightBytes, Is.Zero);
        }
    }

    [Test]
    public void Int4Weights_LetMixtralFitOnOneDevice()
    {
        // 46.7e9 x 0.5 B ≈ 23 GB fits 80 GiB; at fp16 (93 GB) it does not.
        var m = ModelLoader.Resolve("mixtral-8x7b");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => ProgramCompiler.Compile(ModelLoader.WithTypes(m, null, null, null), HardwarePresets.Duplex(), new SystemOptions(1)),
                Throws.TypeOf<Schema.InputException>().With.Message.Contains("does not fit"));
            var p = ProgramCompiler.Compile(ModelLoader.WithTypes(m, "int4", null, null), HardwarePresets.Duplex(), new SystemOptions(1));
            // Linear layers at 0.5 + 2.5/128 B per weight; embeddings, LM head, router and norms stay fp16.
            Assert.That((double)p.WeightBytesPerDevice, Is.EqualTo(ModelStats.WeightBytes(p.Model)).Within(0.01).Percent);
            Assert.That((double)p.WeightBytesPerDevice, Is.LessThan(ModelStats.TotalParams(m) * 0.55));
        }
    }
}
