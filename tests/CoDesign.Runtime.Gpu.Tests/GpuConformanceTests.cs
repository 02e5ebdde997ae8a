using CoDesign.Runtime.Gpu;
using CoDesign.Runtime.Tensors.Backends;

namespace CoDesign.Runtime.Gpu.Tests;

/// <summary>The ILGPU kernels through the shared suite: on CI this is ILGPU's CPU accelerator, on a GPU machine CUDA.</summary>
public sealed class GpuConformanceTests : BackendConformanceTests
{
    protected override IBackend CreateBackend()
    {
        var b = CoDesign.Cli.Backends.BackendTable.Tensor("gpu")();
        Assert.That(b, Is.InstanceOf<IlgpuBackend>(), "the registry's gpu entry resolves to the ILGPU backend");
        TestContext.Progress.WriteLine($"gpu backend on {b.Device}");
        return b;
    }
}

/// <summary>
/// The cooperative kernels that CUDA runs (warp-per-row GEMV, group-per-head attention), run through the whole
/// shared suite on the CPU accelerator, where they are slow (warp shuffles and group barriers are emulated with
/// thread barriers) but compute the same arithmetic. The token tests use one small request, so this stays quick.
/// </summary>
public sealed class GpuCooperativeKernelConformanceTests : BackendConformanceTests
{
    protected override IBackend CreateBackend() => new IlgpuBackend(KernelVariant.Cooperative);

    // One prefill (a 5-token prompt) and one decode step: every kernel on both paths, at a cost the CI can afford.
    protected override (int Requests, int NewTokens) TokenTest => (1, 2);
}
