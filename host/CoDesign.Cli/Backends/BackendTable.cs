// SPDX-License-Identifier: MIT
// The one table of backends, by name: one line per backend, and nowhere else.
using CoDesign.Runtime.Gpu;
using CoDesign.Runtime.Rtl;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Schema;

namespace CoDesign.Cli.Backends;

/// <summary>
/// Every backend the CLI can execute a stage on, found by name (docs/design.md). The host references every backend
/// assembly, so each entry constructs its backend directly. <c>analytic</c> costs stages from the machine model
/// (simulate, analyze, sweep); the others run real tensors (run, validate) and are checked against <c>reference</c>.
/// </summary>
public static class BackendTable
{
    /// <param name="Create">null for the analytic backend, which costs stages from a Program and runs no tensors</param>
    public sealed record Entry(string Name, string Description, Func<IBackend>? Create)
    {
        public bool Numeric => Create is not null;
    }

    public const string Analytic = "analytic";

    public static readonly IReadOnlyList<Entry> All =
    [
        new(Analytic, "time, energy and activity of each stage from the machine model (simulate, analyze, sweep); runs no tensors", null),
        new("reference", "float64 oracle (MathNet); every other backend is validated against it", () => new ReferenceBackend()),
        new("cpu", "float32 SIMD (System.Numerics.Tensors) on all cores, FP16/BF16 weights widened exactly", () => new CpuBackend()),
        new("gpu", "ILGPU kernels, FP16/BF16 weight storage, FP32 accumulation; CUDA if present, else ILGPU's CPU accelerator", () => new IlgpuBackend()),
        new("rtl", "Verilated Logic-PIM GEMM module (FP16 operands, FP32 accumulation) for matrix products; element-wise parts on the host",
            () => new RtlBackend()),
    ];

    public static IEnumerable<string> Names => All.Select(e => e.Name);

    /// <summary>The entry named <paramref name="name"/> (case-insensitive).</summary>
    public static Entry Require(string name, string flag = "--backend") =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InputException($"{flag}: unknown backend '{name}' (expected one of {string.Join(", ", Names)})");

    /// <summary>A factory for a tensor backend; the analytic backend is refused (it runs no tensors).</summary>
    public static Func<IBackend> Tensor(string name, string flag = "--backend")
    {
        var e = Require(name, flag);
        return e.Create ?? throw new InputException(
            $"{flag}: backend '{e.Name}' costs stages and runs no tensors: use 'codesign simulate', or one of {string.Join(", ", All.Where(x => x.Numeric).Select(x => x.Name))}");
    }

    /// <summary>Checks that <paramref name="name"/> is a costing backend (today only analytic).</summary>
    public static void RequireCosting(string name, string flag = "--backend")
    {
        var e = Require(name, flag);
        if (e.Numeric)
            throw new InputException($"{flag}: backend '{e.Name}' runs tensors and costs no stages: use 'codesign run --backend {e.Name}', or {Analytic} here");
    }
}
