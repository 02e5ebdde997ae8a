using CoDesign.Runtime.Gpu;
using CoDesign.Runtime.Tensors.Backends;

namespace CoDesign.Runtime.Tensors.Tests.Backends;

/// <summary>The ILGPU kernels through the shared suite: on CI this is ILGPU's CPU accelerator, on a GPU machine CUDA.</summary>
public sealed class GpuConformanceTests : BackendConformanceTests
{
    protected override IBackend CreateBackend()
    {
        var b = BackendRegistry.Create("gpu");
        Assert.That(b, Is.InstanceOf<IlgpuBackend>(), "the registry's gpu entry resolves to the ILGPU backend");
        TestContext.Progress.WriteLine($"gpu backend on {b.Device}");
        return b;
    }
}

/// <summary>
/// The warp-per-output GEMV that CUDA runs, checked on the CPU accelerator where it is slow (warp shuffles are
/// emulated), so only on single operators; the token tests above use the CPU accelerator's own kernel.
/// </summary>
public sealed class GpuWarpGemvTests
{
    [Test]
    public void WarpGemvMatchesReferenceOnFp16AndBf16Weights()
    {
        using var gpu = new IlgpuBackend(GemvKernel.WarpPerOutput);
        using var reference = new ReferenceBackend();
        var rng = new CoDesign.Runtime.Tensors.Numerics.SplitMix64(3);
        foreach (var w in new[] { TestModels.TinyMoe.Layers[0].K, TestModels.TinyDense.Layers[0].K })
        {
            var x = Enumerable.Range(0, 2 * w.Cols).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
            var stats = new CoDesign.Runtime.Tensors.Validation.OpErrorStats(OpKind.QkvProj);
            stats.Add(reference.Linear(OpKind.QkvProj, x, 2, w), gpu.Linear(OpKind.QkvProj, x, 2, w));
            Assert.That(stats.MaxRel, Is.LessThanOrEqualTo(CoDesign.Runtime.Tensors.Validation.Tolerances.Bound(gpu.Precision, new CoDesign.Runtime.Tensors.Validation.Reduction(w.Cols))), w.Storage.ToString());
        }
    }
}
