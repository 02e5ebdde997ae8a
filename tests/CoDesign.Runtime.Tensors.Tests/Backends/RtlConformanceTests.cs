using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Rtl.Build;
using CoDesign.Runtime.Rtl;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Schema.Hardware;

namespace CoDesign.Runtime.Tensors.Tests.Backends;

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
        var b = BackendRegistry.Create("rtl");
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
        using var b = BackendRegistry.Create("rtl");
        var w = TestModels.TinyMoe;
        var e = Assert.Throws<Schema.InputException>(() => b.GatedFfn(OpKind.ExpertFfn, new double[w.Hidden], 1, w.Layers[0].Experts[0]));
        Assert.That(e!.Message, Does.Contain("compiled Program"));
    }
}
