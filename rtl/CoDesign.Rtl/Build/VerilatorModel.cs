// SPDX-License-Identifier: Apache-2.0
// What to verilate: a top, its sources, its parameters; the named models the RTL flow uses.
namespace CoDesign.Rtl.Build;

/// <summary>One Verilated executable (or shared library): top module, sources (package first), -G parameters,
/// tracing on/off.</summary>
public sealed record VerilatorModel(string Top, IReadOnlyList<string> Sources, IReadOnlyList<string> Parameters, bool Trace,
    bool SharedLibrary = false)
{
    public string ExeName => SharedLibrary ? $"lib{Top}.so" : "V" + Top;

    static readonly string[] Arithmetic = ["cd_pkg.sv", "cd_fp16_mul.sv", "cd_fp32_add.sv"];
    static readonly string[] Binary32 = ["cd_fp32_mul.sv", "cd_fp32_exp.sv", "cd_fp32_recip.sv", "cd_fp32_to_fp16.sv"];

    /// <summary>The GEMM slice with the bank-bundle model and DPI memories; <paramref name="actUnits"/> adds
    /// the softmax and activation units (a GEMM-only model simulates faster). The DRAM model's timing comes
    /// from <paramref name="timing"/> (default: the duplex preset's HBM3 timing, the one source the C# model reads).</summary>
    public static VerilatorModel Pim(PimConfig cfg, bool trace, bool actUnits, Dram.BankBundleTiming? timing = null) => new("cd_pim_tb",
        [.. Arithmetic.Concat(Binary32).Concat(["cd_adder_tree.sv", "cd_gemm.sv", "cd_softmax.sv", "cd_silu.sv",
            "cd_op_ctrl.sv", "cd_pim_top.sv", "cd_dram_bundle.sv", "cd_pim_tb.sv"]).Select(RtlSources.HwFile),
         Path.Combine(RtlSources.Harness, "pim", "pim_main.cc"),
         Path.Combine(RtlSources.Harness, "pim", "pim_job.cc"),
         Path.Combine(RtlSources.Harness, "common", "sim_ctrl.cc")],
        [.. cfg.Parameters, $"ActUnits={(actUnits ? 1 : 0)}", .. (timing ?? Dram.BankBundleTiming.Hbm3).Parameters], trace);

    /// <summary>The same model as a shared library with the C API of pim_capi.cc (in-process, cycle by cycle).</summary>
    public static VerilatorModel PimLibrary(PimConfig cfg, bool actUnits)
    {
        var exe = Pim(cfg, false, actUnits);
        return exe with
        {
            Sources = [.. exe.Sources.Select(s => s.EndsWith("pim_main.cc", StringComparison.Ordinal)
                ? Path.Combine(RtlSources.Harness, "pim", "pim_capi.cc") : s)],
            SharedLibrary = true,
        };
    }

    /// <summary>The binary32 units (mul, add, exp, reciprocal, to-binary16) side by side.</summary>
    public static VerilatorModel FpUnits() => new("cd_fp_units",
        [.. Arithmetic.Concat(Binary32).Concat(["cd_fp_units.sv"]).Select(RtlSources.HwFile),
         Path.Combine(RtlSources.Harness, "fpu", "fpu_main.cc")],
        [], false);

    /// <summary>A single MAC lane, for exhaustive and corner-case arithmetic checks.</summary>
    public static VerilatorModel MacLane() => new("cd_mac_lane",
        [.. Arithmetic.Concat(["cd_mac_lane.sv"]).Select(RtlSources.HwFile),
         Path.Combine(RtlSources.Harness, "mac", "mac_main.cc")],
        [], false);
}
