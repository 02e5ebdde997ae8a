using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Graph;
using CoDesign.Compiler.Models;
using CoDesign.Machine.Stages;
using static CoDesign.Compiler.Tests.Analysis.Stages;

namespace CoDesign.Compiler.Tests.Analysis;

/// <summary>
/// The arithmetic intensities Duplex is built on (docs/reference/duplex-spec.md §1): decode attention ≈ GQA group size, an expert
/// ≈ the tokens routed to it, a projection ≈ the tokens in the stage. Expectations come from the model dimensions.
/// </summary>
public class OpPerByteTests
{
    // model, devices of the paper's system, KV group size g = heads / KV heads
    [TestCase("mixtral-8x7b", 4, 4)]
    [TestCase("llama3-70b", 4, 8)]
    [TestCase("grok-1", 16, 6)]
    [TestCase("opt-66b", 4, 1)]
    [TestCase("glam-143b", 8, 1)]
    public void DecodeAttention_OpPerByteApproachesTheGroupSize(string model, int devices, int group)
    {
        var p = Compile(model, devices);
        var m = p.Model;
        Assert.That(m.NumAttentionHeads / m.NumKvHeads, Is.EqualTo(group), "test premise");
        var a = Decode(p, requests: 64, context: 4096);
        var score = Row(a, OpNames.ScoreDecode);
        var context = Row(a, OpNames.ContextDecode);

        // Per device: heads split over the tensor-parallel group; each pair does a d-long dot product (2d FLOPs per
        // head) and reads d fp16 elements per KV head. The query read adds one token's worth per request.
        double tp = p.System.TensorParallel, d = m.HeadDim;
        double hq = Math.Ceiling(m.NumAttentionHeads / tp), hkv = Math.Ceiling(m.NumKvHeads / tp);
        double pairs = 64.0 * 4096;
        double kvBytes = pairs * hkv * d * 2;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(score.Counts.Flops, Is.EqualTo(pairs * hq * 2 * d));
            Assert.That(score.Counts.KvBytes, Is.EqualTo(kvBytes));
            Assert.That(score.Counts.WeightBytes, Is.Zero, "attention has no weights");
            Assert.That(score.OpPerByte, Is.EqualTo((double)group).Within(1).Percent);
            Assert.That(score.OpPerByte, Is.LessThanOrEqualTo(group), "query reads only lower it");
            Assert.That(context.OpPerByte, Is.EqualTo((double)group).Within(1).Percent);
        }
    }

    [Test]
    public void DecodeAttention_OpPerByteRisesTowardTheGroupSizeWithContext()
    {
        var p = Compile("mixtral-8x7b", 4);
        double shortCtx = Row(Decode(p, 32, 64), OpNames.ScoreDecode).OpPerByte;
        double longCtx = Row(Decode(p, 32, 8192), OpNames.ScoreDecode).OpPerByte;
        // Op/B = g / (1 + g / context) for one query per request.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(shortCtx, Is.EqualTo(4 / (1 + 4.0 / 64)).Within(1e-9).Percent);
            Assert.That(longCtx, Is.EqualTo(4 / (1 + 4.0 / 8192)).Within(1e-9).Percent);
        }
    }

    // Mixtral on 4 devices: 2 local experts, slices of the full width 14336, 3 matrices.
    [TestCase(1.0)]
    [TestCase(4.0)]
    [TestCase(16.0)]
    [TestCase(40.0)]
    public void Expert_OpPerByteIsAboutItsTokens(double tokens)
    {
        var p = Compile("mixtral-8x7b", 4);
        Assert.That(p.LocalExperts, Is.EqualTo(2), "test premise: 8 experts over 4 devices");
        var experts = Row(Decode(p, 64, 1024, expertTokens: [tokens, 0]), OpNames.Experts);
        // One expert: 2 FLOPs per weight per token, 2 bytes per weight read once; activations add 2(h + w) x 2 B per token.
        double h = 4096, w = 14336, weights = 3 * h * w;
        double expected = 2 * weights * tokens / (2 * weights + 4 * (h + w) * tokens);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(experts.Counts.Flops, Is.EqualTo(2 * weights * tokens));
            Assert.That(experts.Counts.WeightBytes, Is.EqualTo(2 * weights), "one expert's weights, read once");
            Assert.That(experts.OpPerByte, Is.EqualTo(expected).Within(1e-9).Percent);
            Assert.That(experts.OpPerByte, Is.EqualTo(tokens).Within(1).Percent);
        }
    }

    [Test]
    public void TwoExpertsWithEqualTokens_HaveTheOpPerByteOfOne()
    {
        var p = Compile("mixtral-8x7b", 4);
        var one = Row(Decode(p, 64, 1024, expertTokens: [12, 0]), OpNames.Experts);
        var two = Row(Decode(p, 64, 1024, expertTokens: [12, 12]), OpNames.Experts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(two.OpPerByte, Is.EqualTo(one.OpPerByte).Within(1e-9).Percent);
            Assert.That(two.Counts.WeightBytes, Is.EqualTo(2 * one.Counts.WeightBytes));
        }
    }

    [Test]
    public void ExpertWithoutTokens_ReadsNoWeights()
    {
        var p = Compile("mixtral-8x7b", 4);
        var a = Decode(p, 64, 1024, expertTokens: [0, 0]);
        Assert.That(TryRow(a, OpNames.Experts), Is.Null);
    }

    [Test]
    public void GlamTwoMatrixExpert_OpPerByteIsAboutItsTokens()
    {
        var p = Compile("glam-143b", 8);
        Assert.That(p.LocalExperts, Is.EqualTo(8), "test premise: 64 experts over 8 devices");
        double[] tokens = [0, 0, 0, 24, 0, 0, 0, 0];
        var experts = Row(Decode(p, 64, 1024, expertTokens: tokens), OpNames.Experts);
        double h = 4096, w = 16384, weights = 2 * h * w;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(experts.Counts.WeightBytes, Is.EqualTo(2 * weights), "two matrices");
            Assert.That(experts.OpPerByte, Is.EqualTo(24.0).Within(1).Percent);
        }
    }

    // Uniform top-k routing: each expert expects tokens x k / E.
    [TestCase(64)]
    [TestCase(256)]
    public void UniformRouting_ExpertOpPerByteIsTokensTimesTopKOverExperts(int decode)
    {
        var p = Compile("mixtral-8x7b", 4);
        double perExpert = decode * 2.0 / 8;
        double h = 4096, w = 14336, weights = 3 * h * w;
        // An expert's weights are read only when a token reaches it: probability 1 - (1 - k/E)^tokens.
        double touched = 1 - Math.Pow(1 - 2.0 / 8, decode);
        double expected = 2 * weights * perExpert / (2 * weights * touched + 4 * (h + w) * perExpert);
        var experts = Row(Decode(p, decode, 1024), OpNames.Experts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(experts.OpPerByte, Is.EqualTo(expected).Within(1e-9).Percent);
            Assert.That(experts.OpPerByte, Is.EqualTo(perExpert).Within(2).Percent);
        }
    }

    [Test]
    public void ExpertTokenListOfTheWrongLength_IsRejected()
    {
        var p = Compile("mixtral-8x7b", 4);
        var e = Assert.Throws<Schema.InputException>(() => Decode(p, 64, 1024, expertTokens: [1, 2, 3]));
        Assert.That(e.Message, Does.Contain("3 experts").And.Contain("holds 2"));
    }

    // Llama 3 70B on 4 devices (TP 4): 16 query heads and 2 KV heads per device.
    [TestCase(16)]
    [TestCase(64)]
    [TestCase(256)]
    public void Projections_OpPerByteIsAboutTheTokensInTheStage(int tokens)
    {
        var p = Compile("llama3-70b", 4);
        var a = Decode(p, tokens, 1024);
        double h = 8192, d = 128, hq = 16, hkv = 2, ffn = 28672 / 4.0;
        double qkvWeights = h * (hq + 2 * hkv) * d, outWeights = hq * d * h, ffnWeights = 3 * h * ffn;
        // Weights (2 B each) dominate: Op/B = T / (1 + T x activation bytes per token / weight bytes).
        double qkvAct = 2 * (h + hq * d) + 2 * (2 * hkv * d), outAct = 2 * (hq * d + h), ffnAct = 2 * (2 * h + 2 * ffn);
        var rows = new (string Op, double Weights, double ActPerToken)[]
        {
            (OpNames.QkvProjection, qkvWeights, qkvAct),
            (OpNames.OutputProjection, outWeights, outAct),
            (OpNames.Ffn, ffnWeights, ffnAct),
        };
        using (Assert.EnterMultipleScope())
            foreach (var (op, weights, act) in rows)
            {
                var r = Row(a, op);
                Assert.That(r.Counts.Flops / r.Counts.WeightBytes, Is.EqualTo((double)tokens), $"{op}: FLOPs per weight byte");
                Assert.That(r.OpPerByte, Is.EqualTo(tokens / (1 + tokens * act / (2 * weights))).Within(1e-9).Percent, op);
                Assert.That(r.OpPerByte, Is.InRange(0.85 * tokens, tokens), op);
            }
    }

    [Test]
    public void MixedStage_ProjectionCountsDecodeAndPrefillTokens()
    {
        var p = Compile("llama3-70b", 4);
        var shape = StageShape.Of(16, 1024);
        shape.AddPrefill(48);
        var a = StageAnalyzer.Analyze(p, shape);
        var qkv = Row(a, OpNames.QkvProjection);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.StageKind, Is.EqualTo("mixed"));
            Assert.That(a.Tokens, Is.EqualTo(64));
            Assert.That(qkv.Counts.Flops / qkv.Counts.WeightBytes, Is.EqualTo(64.0));
        }
    }

    [Test]
    public void PrefillOnlyStage_HasNoDecodeAttentionRows()
    {
        var p = Compile("mixtral-8x7b", 4);
        var shape = new StageShape();
        shape.AddPrefill(512);
        var a = StageAnalyzer.Analyze(p, shape);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.StageKind, Is.EqualTo("prefill-only"));
            Assert.That(TryRow(a, OpNames.ScoreDecode), Is.Null);
            // Causal prefill: 512 x 513 / 2 query-key pairs.
            Assert.That(Row(a, OpNames.ScorePrefill).Counts.Flops, Is.EqualTo(512 * 513 / 2.0 * 2 * (32 / 4) * 128));
        }
    }

    [Test]
    public void Summary_SharesAddToOneAndProcessorTimesAddToStageTime()
    {
        var a = Decode(Compile("mixtral-8x7b", 4), 64, 1024);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.TimeShareByKind.Values.Sum(), Is.EqualTo(1).Within(1e-9));
            Assert.That(a.TimeByProcessorS.Values.Sum(), Is.EqualTo(a.StageTimeS).Within(1e-9).Percent);
            Assert.That(a.TimeByProcessorS.Keys, Is.SubsetOf(new[] { "xpu", "logic_pim", "link" }));
        }
    }
}
