// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Rtl;

/// <summary>
/// The work bound of the RTL verbs (docs/input-limits.md): a run whose estimated simulated cycles exceed
/// <see cref="MaxCycles"/> is refused up front unless the user confirms with --allow-long-run; shapes whose buffers
/// cannot be allocated at all are refused either way. Estimates follow the module's structure, not a fit.
/// </summary>
public static class RtlLimits
{
    /// <summary>Our bound: 5e7 simulated cycles is about 150 s at the published configuration's measured
    /// 0.33 M cycles/s (docs/benchmarks-rtl.md), a few seconds for the ci configuration.</summary>
    public const double MaxCycles = 5e7;

    /// <summary>Query heads sharing one KV head: real GQA/MQA groups reach 128 (MQA over 128 heads); more only fills memory.</summary>
    public const int MaxGroup = 1024;

    /// <summary>Score elements of one softmax run, so its binary32 input and binary16 output buffers fit one array.</summary>
    public const long MaxSoftmaxElements = 1L << 26;

    /// <summary>GEMM: each pass over the weights streams K x N / lanes beats and serves Tokens rows of X.</summary>
    public static double GemmCycles(PimConfig cfg, int m, int k, int n) => Math.Ceiling((double)m / cfg.Tokens) * ((double)k * n / cfg.Lanes);

    /// <summary>Softmax: three passes over each row (max, exp and sum, normalise) at the unit's lane count.</summary>
    public static double SoftmaxCycles(PimConfig cfg, int rows, int len) => 3.0 * rows * len / cfg.SoftmaxLanes;

    /// <summary>Attention of one group: the score GEMV (context x 128), softmax over the scores, the context GEMV (128 x context).</summary>
    public static double AttentionCycles(PimConfig cfg, int context, int group) =>
        2 * GemmCycles(cfg, group, 128, context) + SoftmaxCycles(cfg, group, context);

    public static void CheckGemm(PimConfig cfg, int m, int k, int n, bool allowLongRun) =>
        Check($"GEMM {m}x{k}x{n}", m >= 1 && k >= 1 && n >= 1 ? GemmCycles(cfg, m, k, n) : 0, allowLongRun);

    public static void CheckSoftmax(PimConfig cfg, int rows, int len, bool allowLongRun)
    {
        if (rows >= 1 && len >= 1 && (long)rows * len > MaxSoftmaxElements)
            throw new InputException($"--rows {rows} x --length {len} = {(long)rows * len:#,0} scores, more than the {MaxSoftmaxElements:#,0} one softmax run may hold");
        Check($"softmax of {rows} x {len}", rows >= 1 && len >= 1 ? SoftmaxCycles(cfg, rows, len) : 0, allowLongRun);
    }

    public static void CheckAttention(PimConfig cfg, int context, int group, bool allowLongRun)
    {
        if (group > MaxGroup) throw new InputException($"--group {group} is more than the {MaxGroup} query heads one KV head may serve");
        Check($"attention of {group} heads over {context} tokens", context >= 1 && group >= 1 ? AttentionCycles(cfg, context, group) : 0, allowLongRun);
    }

    static void Check(string what, double cycles, bool allowLongRun)
    {
        if (allowLongRun || cycles <= MaxCycles) return;
        throw new InputException($"{what} needs about {cycles:0.##e+0} simulated cycles, more than the {MaxCycles:0e+0} allowed without --allow-long-run " +
            "(add --allow-long-run to run it, or a smaller shape)");
    }
}
