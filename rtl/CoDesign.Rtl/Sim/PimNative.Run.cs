// SPDX-License-Identifier: Apache-2.0
// The async entry of PimNative (kept out of the unsafe part: C# cannot await in an unsafe context).
using CoDesign.Rtl.Build;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Sim;

public sealed partial class PimNative
{
    /// <summary>Runs a whole job in steps, with the same watchdog rule as the harness (no progress for
    /// StallCycles cycles) and the same result shape as the subprocess path.</summary>
    public static async Task<PimRunResult> RunAsync(PimConfig cfg, PimJob job, PimRunOptions opts, CancellationToken ct = default)
    {
        bool act = job.Program.Any(i => i.Opcode is PimOpcode.Softmax or PimOpcode.Silu);
        var path = await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.PimLibrary(cfg, act), ct);
        return Run(path, cfg, job, opts, ct);
    }

}
