using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Graph;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Machine.Stages;
using CoDesign.Schema.Hardware;
using static CoDesign.Compiler.Tests.Analysis.Stages;

namespace CoDesign.Compiler.Tests.Analysis;

/// <summary>Every real config.json compiles for Duplex and shows the Op/B its dimensions predict.</summary>
public class RealConfigAnalysisTests
{
    // file, devices that hold it (fp16/bf16 weights in 80 GiB each)
    [TestCase("mixtral-8x7b-v0.1.json", 4)]
    [TestCase("meta-llama-3-70b.json", 4)]
    [TestCase("qwen1.5-moe-a2.7b.json", 1)]
    [TestCase("qwen3-30b-a3b.json", 1)]
    [TestCase("olmoe-1b-7b-0924.json", 1)]
    [TestCase("opt-66b.json", 4)]
    [TestCase("deepseek-moe-16b-base.json", 1)]
    [TestCase("unknown-arch.json", 1)]
    public void RealConfig_DecodeOpPerByteFollowsItsDimensions(string file, int devices)
    {
        var m = ModelLoader.WithTypes(ModelLoader.Resolve(TestConfigs.Path_(file)), null, null, null);
        var p = ProgramCompiler.Compile(m, HardwarePresets.Duplex(), new SystemOptions(devices));
        const int decode = 64;
        var a = StageAnalyzer.Analyze(p, StageShape.Of(decode, 4096));

        double tp = p.System.TensorParallel;
        double group = Math.Ceiling(m.NumAttentionHeads / tp) / Math.Ceiling(m.NumKvHeads / tp);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(a, OpNames.ScoreDecode).OpPerByte, Is.EqualTo(group).Within(1).Percent, "decode attention ≈ group size");
            Assert.That(Row(a, OpNames.QkvProjection).Counts.Flops / Row(a, OpNames.QkvProjection).Counts.WeightBytes,
                Is.EqualTo((double)decode), "projection: FLOPs per weight byte = tokens");
            if (m.NumExperts > 0)
            {
                // Uniform top-k: each expert expects tokens x k / E (x data-parallel replicas) tokens.
                double perExpert = decode * (double)m.ExpertsPerToken / m.NumExperts * p.System.DataParallel;
                Assert.That(Row(a, OpNames.Experts).OpPerByte, Is.EqualTo(perExpert).Within(2).Percent, "expert ≈ tokens routed to it");
                Assert.That(a.Ops.Count(o => o.Op == OpNames.Experts), Is.EqualTo(1), "one MoE layer shape");
                Assert.That(a.Ops.Single(o => o.Op == OpNames.Experts).LayerCount, Is.EqualTo(ModelStats.MoeLayerCount(m)));
            }
            if (m.NumSharedExperts > 0)
                Assert.That(Row(a, OpNames.SharedExpert).Counts.Flops / Row(a, OpNames.SharedExpert).Counts.WeightBytes,
                    Is.EqualTo((double)decode), "every token goes through the shared expert");
        }
    }
}
