using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Graph;
using CoDesign.Machine;
using CoDesign.Machine.Stages;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;
using static CoDesign.Compiler.Tests.Analysis.Stages;

namespace CoDesign.Compiler.Tests.Analysis;

/// <summary>
/// Placement (docs/reference/duplex-spec.md §3). Min-time: the PIM wins a memory-streaming operator exactly when its Op/B is
/// below crossover = PIM peak FLOP/s / xPU bandwidth. Paper: PIM runs MoE in decode-only stages and decode attention.
/// </summary>
public class PlacementTests
{
    const double Hbm = 3.352e12;                  // the preset's device bandwidth, B/s
    const double Epsilon = 1e-6;                  // "just below" / "just above", relative

    /// <summary>Duplex with the Logic-PIM's peak Op/B changed: crossover = 4 (bandwidth multiple) x <paramref name="pimOpPerByte"/>.</summary>
    static Schema.V1.Hardware DuplexWithPimOpPerByte(double pimOpPerByte)
    {
        var hw = Ideal(HardwarePresets.Duplex());
        hw.Name = $"duplex-pim-opb-{pimOpPerByte}";
        var pim = hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);
        pim.Peak.Single(p => p.DataType == DataType.Fp16).FlopsPerS = pimOpPerByte * pim.MemoryBandwidthBytesPerS;
        return hw;
    }

    /// <summary>Duplex whose crossover sits at <paramref name="crossover"/> exactly (PIM peak = crossover x xPU bandwidth).</summary>
    static Schema.V1.Hardware DuplexWithCrossover(double crossover)
    {
        var hw = Ideal(HardwarePresets.Duplex());
        hw.Name = "duplex-moved-crossover";
        var xpu = hw.Processors.Single(p => p.Kind == ProcessorKind.Xpu);
        var pim = hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);
        pim.Peak.Single(p => p.DataType == DataType.Fp16).FlopsPerS = crossover * xpu.MemoryBandwidthBytesPerS;
        return hw;
    }

    /// <summary>
    /// Tokens t at which one Mixtral expert's Op/B equals c: Op/B(t) = t / (1 + a t) with
    /// a = 4 (h + w) / (2 x 3 h w) (activation bytes per token over weight bytes), so t = c / (1 - a c).
    /// </summary>
    static double MixtralExpertTokensAtOpPerByte(double c)
    {
        double h = 4096, w = 14336, a = 4 * (h + w) / (2 * 3 * h * w);
        return c / (1 - a * c);
    }

    [TestCase(8.0)]    // the Duplex preset: crossover 32
    [TestCase(4.0)]    // a Logic-PIM with half the compute: crossover 16
    [TestCase(2.5)]    // crossover 10
    public void ExpertJustBelowCrossover_GoesToPim(double pimOpPerByte)
    {
        var hw = DuplexWithPimOpPerByte(pimOpPerByte);
        double crossover = 4 * pimOpPerByte;
        var p = Compile("mixtral-8x7b", 4, hw);
        double t = MixtralExpertTokensAtOpPerByte(crossover) * (1 - Epsilon);
        var a = Decode(p, 64, 1024, expertTokens: [t, 0]);
        var experts = Row(a, OpNames.Experts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.CrossoverOpPerByte, Is.EqualTo(crossover).Within(1e-9).Percent);
            Assert.That(experts.OpPerByte, Is.LessThan(crossover).And.GreaterThan(crossover * (1 - 2 * Epsilon)));
            Assert.That(experts.Processor, Is.EqualTo("logic_pim"));
            Assert.That(experts.Reason, Does.Contain("< crossover"));
            Assert.That(experts.TimeOnS["logic_pim"], Is.LessThan(experts.TimeOnS["xpu"]));
        }
    }

    [TestCase(8.0)]
    [TestCase(4.0)]
    [TestCase(2.5)]
    public void ExpertJustAboveCrossover_GoesToXpu(double pimOpPerByte)
    {
        var hw = DuplexWithPimOpPerByte(pimOpPerByte);
        double crossover = 4 * pimOpPerByte;
        var p = Compile("mixtral-8x7b", 4, hw);
        double t = MixtralExpertTokensAtOpPerByte(crossover) * (1 + Epsilon);
        var experts = Row(Decode(p, 64, 1024, expertTokens: [t, 0]), OpNames.Experts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(experts.OpPerByte, Is.GreaterThan(crossover).And.LessThan(crossover * (1 + 2 * Epsilon)));
            Assert.That(experts.Processor, Is.EqualTo("xpu"));
            Assert.That(experts.Reason, Does.Contain("≥ crossover"));
        }
    }

    [Test]
    public void BankPim_FlipsAtSixteen()
    {
        // Bank-PIM: 16x bandwidth, peak Op/B 1, so crossover = 16 x 1.
        var p = Compile("mixtral-8x7b", 4, Ideal(HardwarePresets.BankPim()));
        double t = MixtralExpertTokensAtOpPerByte(16);
        var below = Row(Decode(p, 64, 1024, expertTokens: [t * (1 - Epsilon), 0]), OpNames.Experts);
        var above = Row(Decode(p, 64, 1024, expertTokens: [t * (1 + Epsilon), 0]), OpNames.Experts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(below.Processor, Is.EqualTo("bank_pim"));
            Assert.That(above.Processor, Is.EqualTo("xpu"));
        }
    }

    [Test]
    public void DuplexPreset_ExpertWith32TokensStaysOnPimAnd33GoesToXpu()
    {
        // Op/B(32) = 32 / (1 + 32a) < 32; Op/B(33) = 33 / (1 + 33a) > 32 because 33a < 1/32 (a ≈ 2.1e-4).
        // The published rule holds at peak rates; the DRAM-derated crossover is tested with the timing model.
        var p = Compile("mixtral-8x7b", 4, Ideal(HardwarePresets.Duplex()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Row(Decode(p, 64, 1024, expertTokens: [32, 0]), OpNames.Experts).Processor, Is.EqualTo("logic_pim"));
            Assert.That(Row(Decode(p, 64, 1024, expertTokens: [33, 0]), OpNames.Experts).Processor, Is.EqualTo("xpu"));
        }
    }

    // The QKV projection of Llama 3 70B on 4 devices at 64 decode tokens; the crossover is moved onto its Op/B.
    static double LlamaQkvOpPerByte(int tokens)
    {
        double h = 8192, d = 128, hq = 16, hkv = 2, weights = h * (hq + 2 * hkv) * d;
        double bytes = 2 * weights + tokens * (2 * (h + hq * d) + 2 * 2 * hkv * d);
        return 2 * weights * tokens / bytes;
    }

    [Test]
    public void ProjectionJustBelowCrossover_GoesToPim()
    {
        double opb = LlamaQkvOpPerByte(64);
        var p = Compile("llama3-70b", 4, DuplexWithCrossover(opb * (1 + Epsilon)));
        var qkv = Row(Decode(p, 64, 1024), OpNames.QkvProjection);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(qkv.OpPerByte, Is.EqualTo(opb).Within(1e-9).Percent);
            Assert.That(qkv.Processor, Is.EqualTo("logic_pim"));
            Assert.That(qkv.Reason, Does.Contain("< crossover"));
        }
    }

    [Test]
    public void ProjectionJustAboveCrossover_GoesToXpu()
    {
        double opb = LlamaQkvOpPerByte(64);
        var p = Compile("llama3-70b", 4, DuplexWithCrossover(opb * (1 - Epsilon)));
        var qkv = Row(Decode(p, 64, 1024), OpNames.QkvProjection);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(qkv.Processor, Is.EqualTo("xpu"));
            Assert.That(qkv.Reason, Does.Contain("≥ crossover"));
        }
    }

    [Test]
    public void ProcessorCost_CrossoverIsWherePimComputeTimeMeetsXpuMemoryTime()
    {
        var device = new DeviceModel(Ideal(HardwarePresets.Duplex()));
        double crossover = device.CrossoverOpPerByte(DataType.Fp16);
        double bytes = 1e9;
        var at = new OpCounts(crossover * bytes, bytes, 0, 0);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(device.Pim!.Seconds(at, DataType.Fp16), Is.EqualTo(device.Host.Seconds(at, DataType.Fp16)).Within(1e-9).Percent);
            Assert.That(device.Host.BoundOf(at, DataType.Fp16), Is.EqualTo(Bound.Memory));
            Assert.That(device.Pim.BoundOf(at, DataType.Fp16), Is.EqualTo(Bound.Compute));
            Assert.That(device.Host.Seconds(at, DataType.Fp16), Is.EqualTo(bytes / Hbm).Within(1e-9).Percent);
        }
    }

    [Test]
    public void GpuOnlyHardware_PlacesEverythingOnTheGpu()
    {
        var a = Decode(Compile("mixtral-8x7b", 4, HardwarePresets.H100()), 64, 1024);
        Assert.That(a.Ops.Select(o => o.Processor).Distinct(), Is.SubsetOf(new[] { "gpu", "link" }));
    }

    [Test]
    public void VectorOps_StayOnTheXpuWhateverTheirOpPerByte()
    {
        var a = Decode(Compile("mixtral-8x7b", 4), 64, 1024);
        using (Assert.EnterMultipleScope())
            foreach (var name in new[] { OpNames.NormAttention, OpNames.Rope, OpNames.Router, OpNames.NormFinal })
            {
                var r = Row(a, name);
                Assert.That(r.OpPerByte, Is.LessThan(a.CrossoverOpPerByte), $"{name}: low Op/B, so the rule is what keeps it off the PIM");
                Assert.That(r.Processor, Is.EqualTo("xpu"), name);
            }
    }

    [Test]
    public void Softmax_FollowsItsScores()
    {
        var a = Decode(Compile("mixtral-8x7b", 4), 64, 1024);
        var score = Row(a, OpNames.ScoreDecode);
        var softmax = Row(a, OpNames.SoftmaxDecode);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(softmax.Processor, Is.EqualTo(score.Processor));
            Assert.That(softmax.Reason, Does.Contain("fused"));
        }
    }

    [Test]
    public void Collectives_RunOnTheLink()
    {
        var a = Decode(Compile("mixtral-8x7b", 4), 64, 1024);
        var ar = Row(a, OpNames.AllReduceAttention);
        // Ring all-reduce of 64 tokens x 4096 x 2 B over 4 devices: each sends 2 x 3/4 of it.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ar.Processor, Is.EqualTo("link"));
            Assert.That(ar.CommBytes, Is.EqualTo(2 * 3 / 4.0 * 64 * 4096 * 2));
            Assert.That(ar.Bound, Is.Null);
        }
    }

    // Paper policy (docs/reference/duplex-spec.md §3).
    [Test]
    public void PaperPolicy_DecodeOnlyStage_PutsExpertsAndDecodeAttentionOnPim()
    {
        var p = Compile("mixtral-8x7b", 4, placement: PlacementPolicy.Paper);
        // 512 decodes give each expert 128 tokens (Op/B ≈ 125 > 32): min-time would pick the xPU, the paper rule does not.
        var a = Decode(p, 512, 1024);
        var experts = Row(a, OpNames.Experts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(experts.OpPerByte, Is.GreaterThan(a.CrossoverOpPerByte));
            Assert.That(experts.Processor, Is.EqualTo("logic_pim"));
            Assert.That(experts.Reason, Does.Contain("decode-only"));
            Assert.That(Row(a, OpNames.ScoreDecode).Processor, Is.EqualTo("logic_pim"));
            Assert.That(Row(a, OpNames.ContextDecode).Processor, Is.EqualTo("logic_pim"));
            Assert.That(Row(a, OpNames.QkvProjection).Processor, Is.EqualTo("xpu"));
            Assert.That(Row(a, OpNames.OutputProjection).Processor, Is.EqualTo("xpu"));
            Assert.That(Row(a, OpNames.Router).Processor, Is.EqualTo("xpu"));
            Assert.That(Row(a, OpNames.LmHead).Processor, Is.EqualTo("xpu"));
        }
    }

    [Test]
    public void PaperPolicy_MixedStage_PutsExpertsOnXpuButKeepsDecodeAttentionOnPim()
    {
        var p = Compile("mixtral-8x7b", 4, placement: PlacementPolicy.Paper);
        var shape = StageShape.Of(4, 1024);   // few decodes: experts' Op/B stays below the crossover
        shape.AddPrefill(16);
        var a = StageAnalyzer.Analyze(p, shape);
        var experts = Row(a, OpNames.Experts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.StageKind, Is.EqualTo("mixed"));
            Assert.That(experts.OpPerByte, Is.LessThan(a.CrossoverOpPerByte), "min-time would pick the PIM");
            Assert.That(experts.Processor, Is.EqualTo("xpu"));
            Assert.That(experts.Reason, Does.Contain("stage has prefill"));
            Assert.That(Row(a, OpNames.ScoreDecode).Processor, Is.EqualTo("logic_pim"));
            Assert.That(Row(a, OpNames.ScorePrefill).Processor, Is.EqualTo("xpu"));
            Assert.That(Row(a, OpNames.SoftmaxPrefill).Processor, Is.EqualTo("xpu"));
        }
    }

    [Test]
    public void MinTimePolicy_ManyDecodes_MoveExpertsToXpu()
    {
        var p = Compile("mixtral-8x7b", 4);
        var experts = Row(Decode(p, 512, 1024), OpNames.Experts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(experts.OpPerByte, Is.GreaterThan(32));
            Assert.That(experts.Processor, Is.EqualTo("xpu"));
        }
    }
}
