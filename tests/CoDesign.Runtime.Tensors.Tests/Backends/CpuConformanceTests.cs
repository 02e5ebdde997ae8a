using CoDesign.Runtime.Tensors.Backends;

namespace CoDesign.Runtime.Tensors.Tests.Backends;

public sealed class CpuConformanceTests : BackendConformanceTests
{
    protected override IBackend CreateBackend() => CoDesign.Cli.Backends.BackendTable.Tensor("cpu")();
}
