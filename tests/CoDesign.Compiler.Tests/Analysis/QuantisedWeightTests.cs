using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Graph;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Machine;
using CoDesign.Machine.Stages;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.Quantization;
using CoDesign.Schema.V1;
using static CoDesign.Compiler.Tests.Analysis.Stages;

namespace CoDesign.Compiler.Tests.Analysis;

/// <summary>Group-wise quantised weights: bytes with scales and zero points, dequantisers, the crossover per format.</summary>
public class QuantisedWeightTests
{
    static WeightFormat Format(DataType t, uint? group)
    {
        var m = new ModelConfig { WeightType = t, ActivationType = DataType.Fp16 };
        if (group is { } g) m.QuantGroupSize = g;
        return WeightFormat.Of(m);
    }

    // Hand-computed: K·N elements + N·(K/G) groups x (2 B scale + zero point at the weight width).
    [TestCase(DataType.Int4, 128u, 4096, 1024, 4096 * 1024 * 0.5 + 1024 * 32 * 2.5)]   // 2 179 072
    [TestCase(DataType.Int8, 64u, 256, 8, 256 * 8 * 1.0 + 8 * 4 * 3.0)]               // 2 144
    [TestCase(DataType.Int4, 0u, 4096, 1, 2048 + 2.5)]                                  // per output channel
    [TestCase(DataType.Fp8, null, 4096, 10, 40960 + 10 * 2.0)]                          // fp8: scale, no zero point
    [TestCase(DataType.Fp16, 128u, 4096, 1024, 4096 * 1024 * 2.0)]                      // no metadata
    [TestCase(DataType.Bf16, null, 100, 3, 600.0)]
    public void LinearBytes_CountElementsScalesAndZeroPoints(DataType t, uint? group, int k, int n, double expected) =>
        Assert.That(Format(t, group).LinearBytes(k, n), Is.EqualTo(expected));

    [Test]
    public void Int4Group128_MixtralQkvOnFourDevices_MatchesHandCount()
    {
        var m = WeightQuantisation.WithGroupSize(ModelLoader.WithTypes(ModelLoader.Resolve("mixtral-8x7b"), "int4", null, null), 128);
        var p = ProgramCompiler.Compile(m, HardwarePresets.Duplex(), new SystemOptions(4));
        var qkv = p.LayerKinds[0].Ops.Single(o => o.Name == OpNames.QkvProjection);
        var router = p.LayerKinds[0].Ops.Single(o => o.Name == OpNames.Router);
        using (Assert.EnterMultipleScope())
        {
            // TP 4: (8 + 2 x 2) heads x 128 = 1536 columns of K = 4096: 4096·1536/2 B + 1536·32 groups x 2.5 B.
            Assert.That(AffineEval.Constant(qkv.WeightBytes), Is.EqualTo(3_145_728 + 122_880));
            Assert.That(AffineEval.Constant(qkv.DequantElements), Is.EqualTo(4096.0 * 1536));
            // The gate stays fp16 (GPTQ/AWQ leave it unquantised): 4096 x 8 x 2 B.
            Assert.That(AffineEval.Constant(router.WeightBytes), Is.EqualTo(4096.0 * 8 * 2));
            Assert.That(router.DequantElements, Is.Null);
        }
    }

    [Test]
    public void GroupSizeNotDividingK_IsAnInputError()
    {
        var m = WeightQuantisation.WithGroupSize(ModelLoader.WithTypes(ModelLoader.Resolve("mixtral-8x7b"), "int4", null, null), 96);
        Assert.That(() => ProgramCompiler.Compile(m, HardwarePresets.Duplex(), new SystemOptions(4)),
            Throws.TypeOf<InputException>().With.Message.Contains("group_size 96 does not divide K = 4096 (hidden_size)"));
    }

    [Test]
    public void Crossover_Int4_IsOpB32_AtEightPointThreeTokensPerWeight()
    {
        // The published crossover is an ideal-roofline number (no DRAM timing model).
        var d = new DeviceModel(HardwarePresets.Get("duplex-ideal"));
        double b = 0.5 + 2.5 / 128;
        var x = FormatCrossover.For(d, DataType.Fp16, b, quantised: true);
        var fp16 = FormatCrossover.For(d, DataType.Fp16, 2, quantised: false);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(x.OpPerByte, Is.EqualTo(32).Within(1e-9));
            Assert.That(x.TokensPerWeight, Is.EqualTo(32 * b / 2).Within(1e-9));   // 8.3125
            Assert.That(x.DequantKeepsUp, Is.True);
            Assert.That(fp16.TokensPerWeight, Is.EqualTo(32).Within(1e-9));
        }
    }

    [Test]
    public void PimWithoutDequantiser_CannotTakeQuantisedWeights()
    {
        var hw = HardwarePresets.Duplex();
        hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim).DequantElementsPerS = 0;
        var d = new DeviceModel(hw);
        var slowDequant = FormatCrossover.For(d, DataType.Fp16, 0.5, quantised: true);
        var m = ModelLoader.WithTypes(ModelLoader.Resolve("mixtral-8x7b"), "int4", null, null);
        var a = Decode(ProgramCompiler.Compile(m, hw, new SystemOptions(4)), 4, 1024);
        var qkv = Row(a, OpNames.QkvProjection);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(slowDequant.DequantKeepsUp, Is.False);
            Assert.That(qkv.Processor, Is.EqualTo("xpu"));
            Assert.That(qkv.Reason, Does.Contain("no dequantiser"));
            Assert.That(Row(a, OpNames.ScoreDecode).Processor, Is.EqualTo("logic_pim"));   // fp16 KV: unaffected
        }
    }

    [Test]
    public void SlowDequantiser_BoundsThePimTime()
    {
        var hw = HardwarePresets.Duplex();
        var pim = hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);
        pim.DequantElementsPerS = 1e12;
        var cost = new ProcessorCost(pim);
        var c = new OpCounts(Flops: 2e9, WeightBytes: 0.5e9, ActivationBytes: 0, KvBytes: 0, DequantElements: 1e9);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cost.Seconds(c, DataType.Fp16), Is.EqualTo(1e-3).Within(1e-12));
            Assert.That(cost.BoundOf(c, DataType.Fp16), Is.EqualTo(Bound.Dequant));
        }
    }

    // int4 g128 moves the QKV crossover from 32 tokens to about 8: hand count for Mixtral, 4 devices, context 1024.
    [TestCase(8, "logic_pim")]
    [TestCase(9, "xpu")]
    public void Int4Qkv_CrossesToTheXpuAboveEightTokens(int tokens, string processor)
    {
        var m = ModelLoader.WithTypes(ModelLoader.Resolve("mixtral-8x7b"), "int4", null, null);
        var a = Decode(ProgramCompiler.Compile(m, HardwarePresets.Get("duplex-ideal"), new SystemOptions(4)), tokens, 1024);
        Assert.That(Row(a, OpNames.QkvProjection).Processor, Is.EqualTo(processor));
    }
}
