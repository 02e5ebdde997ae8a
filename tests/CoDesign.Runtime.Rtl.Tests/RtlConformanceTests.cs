using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Rtl.Build;
using CoDesign.Runtime.Rtl;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Validation;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Rtl.Tests;

/// <summary>
/// The Verilated Logic-PIM module through the shared suite (tolerances from FP16 operands), running the
/// compiler's PIM kernels for tiny-moe and tiny-dense: a wrong dimension, address or stride in them puts
/// the wrong operands under the module and fails the comparison with the reference. Needs Verilator;
/// without it the fixture is inconclusive, as the RTL project's own tests are.
/// </summary>
[Category("Verilator")]
public sealed class RtlConformanceTests : BackendConformanceTests
{
    /// <summary>The Logic-PIM kernels the compiler emits for a tiny model on one duplex device.</summary>
    public static Schema.V1.PimKernels Kernels(string model) =>
        ProgramCompiler.Compile(ModelLoader.Resolve(model), HardwarePresets.Duplex(), new SystemOptions(1)).PimKernels;

    protected override IBackend CreateBackend()
    {
        Assume.That(ToolLocator.Find("verilator"), Is.Not.Null, "verilator is not installed (tools/setup.sh)");
        var b = CoDesign.Cli.Backends.BackendTable.Tensor("rtl")();
        Assert.That(b, Is.InstanceOf<RtlBackend>());
        foreach (var m in new[] { "tiny-moe", "tiny-dense" }) ((IPimKernelBackend)b).UsePimKernels(Kernels(m));
        return b;
    }
}

/// <summary>What the rtl backend does without a Program's kernels: refuse, rather than invent streams.</summary>
[Category("Verilator")]
public sealed class RtlKernelSourceTests
{
    [Test]
    public void WithoutKernels_PimOperatorsFailWithAClearMessage()
    {
        Assume.That(ToolLocator.Find("verilator"), Is.Not.Null, "verilator is not installed (tools/setup.sh)");
        using var b = CoDesign.Cli.Backends.BackendTable.Tensor("rtl")();
        var w = TestModels.TinyMoe;
        var e = Assert.Throws<Schema.InputException>(() => b.GatedFfn(OpKind.Expert, new double[w.Hidden], 1, w.Layers[0].Experts[0]));
        Assert.That(e!.Message, Does.Contain("compiled Program"));
        var p = Assert.Throws<Schema.InputException>(() => b.Linear(OpKind.QkvProjection, new double[w.Hidden], 1, w.Layers[0].Q));
        Assert.That(p!.Message, Does.Contain("compiled Program"));
    }
}

/// <summary>
/// A Qwen-MoE shared expert on the Verilated Logic-PIM through the compiler's shared_expert kernel (min-time
/// places it on PIM at small batches), against the float64 reference.
/// </summary>
[Category("Verilator")]
public sealed class RtlSharedExpertTests
{
    [Test]
    public void SharedExpertRunsItsKernelWithinTheFp16Tolerance()
    {
        Assume.That(ToolLocator.Find("verilator"), Is.Not.Null, "verilator is not installed (tools/setup.sh)");
        var config = Compiler.Models.HfConfigReader.Parse("""
            { "model_type": "qwen2_moe", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
              "vocab_size": 1000, "intermediate_size": 96, "moe_intermediate_size": 32, "shared_expert_intermediate_size": 48,
              "num_experts": 8, "num_experts_per_tok": 2, "decoder_sparse_step": 1 }
            """, "qwen-tiny.json");
        using var b = CoDesign.Cli.Backends.BackendTable.Tensor("rtl")();
        ((IPimKernelBackend)b).UsePimKernels(ProgramCompiler.Compile(config, HardwarePresets.Duplex(), new SystemOptions(1)).PimKernels);
        var rng = new SplitMix64(3);
        HostTensor T(string name, int rows, int cols) => new(name, TensorDType.F16, [rows, cols],
            Enumerable.Range(0, rows * cols).Select(_ => HalfBits.RoundTo((float)((rng.NextDouble() - 0.5) * 0.4), TensorDType.F16)).ToArray());
        var shared = new FfnWeights(T("gate", 48, 64), T("up", 48, 64), T("down", 64, 48));   // the shared expert: its own operator kind
        var x = Enumerable.Range(0, 2 * 64).Select(_ => rng.NextDouble() - 0.5).ToArray();
        using var reference = new ReferenceBackend();
        var stats = new OpErrorStats(OpKind.SharedExpert);
        stats.Add(reference.GatedFfn(OpKind.SharedExpert, x, 2, shared), b.GatedFfn(OpKind.SharedExpert, x, 2, shared));
        Assert.That(stats.MaxRel, Is.LessThanOrEqualTo(Tolerances.For(OpKind.SharedExpert, config, 1, b.Precision)));
    }
}
