using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>
/// The one table of backends, looked up by name. Backends in other assemblies (ILGPU's, which carries ILGPU with
/// it; the RTL one, which carries Verilator builds) are named by type so that this project needs no reference to them: a host that ships the
/// assembly (the CLI, the tests) gets the backend; one that does not gets a clear error.
/// </summary>
public static class BackendRegistry
{
    public sealed record Entry(string Name, string Description, bool Numeric, Func<IBackend> Create);

    public static readonly IReadOnlyList<Entry> Table =
    [
        new("reference", "float64 oracle (MathNet); every other backend is validated against it", true, () => new ReferenceBackend()),
        new("cpu", "float32 SIMD (System.Numerics.Tensors) on all cores, FP16/BF16 weights widened exactly", true, () => new CpuBackend()),
        new("gpu", "ILGPU kernels, FP16/BF16 weight storage, FP32 accumulation; CUDA if present, else ILGPU's CPU accelerator", true,
            () => ByType("gpu", "CoDesign.Runtime.Gpu.IlgpuBackend, CoDesign.Runtime.Gpu")),
        new("rtl", "Verilated Logic-PIM GEMM module (FP16 operands, FP32 accumulation) for matrix products; element-wise parts on the host", true,
            () => ByType("rtl", "CoDesign.Runtime.Rtl.RtlBackend, CoDesign.Runtime.Rtl")),
    ];

    public static IEnumerable<string> Names => Table.Select(e => e.Name);

    public static Entry Require(string name) =>
        Table.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InputException($"unknown backend '{name}' (expected one of {string.Join(", ", Names)})");

    public static IBackend Create(string name) => Require(name).Create();

    static IBackend ByType(string name, string typeName)
    {
        var type = Type.GetType(typeName, throwOnError: false)
            ?? throw new InputException($"backend '{name}' is not available in this build ({typeName} is not loaded)");
        try { return (IBackend)Activator.CreateInstance(type)!; }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            // Surface the constructor's own error (e.g. an InputException naming a missing tool), not the reflection wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
