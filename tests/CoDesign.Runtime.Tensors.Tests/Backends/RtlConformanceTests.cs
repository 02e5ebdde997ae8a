using CoDesign.Rtl.Build;
using CoDesign.Runtime.Rtl;
using CoDesign.Runtime.Tensors.Backends;

namespace CoDesign.Runtime.Tensors.Tests.Backends;

/// <summary>
/// The Verilated Logic-PIM GEMM module through the shared suite (tolerances from FP16 operands). Needs Verilator;
/// without it the fixture is inconclusive, as the RTL project's own tests are.
/// </summary>
[Category("Verilator")]
public sealed class RtlConformanceTests : BackendConformanceTests
{
    protected override IBackend CreateBackend()
    {
        Assume.That(ToolLocator.Find("verilator"), Is.Not.Null, "verilator is not installed (tools/setup.sh)");
        var b = BackendRegistry.Create("rtl");
        Assert.That(b, Is.InstanceOf<RtlBackend>());
        return b;
    }
}
