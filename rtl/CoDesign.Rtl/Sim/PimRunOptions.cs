// SPDX-License-Identifier: Apache-2.0
// Limits and outputs of one simulation run.
namespace CoDesign.Rtl.Sim;

/// <summary>
/// Watchdog limits: the harness stops a model whose progress counter stalls for <see cref="StallCycles"/>
/// cycles; C# kills one that runs past <see cref="WallTimeout"/>. Either becomes an RtlWatchdogException.
/// </summary>
public sealed record PimRunOptions
{
    public string? TracePath { get; init; }
    public string? DramLogPath { get; init; }
    public long MaxCycles { get; init; } = 2_000_000_000;
    public long StallCycles { get; init; } = 100_000;
    public TimeSpan WallTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Run in-process through the shared library (PimNative) instead of a harness subprocess.</summary>
    public bool InProcess { get; init; }
    /// <summary>Test hook: freeze the DRAM model from this cycle on (a stuck model for the watchdog).</summary>
    public long? FreezeDramAtCycle { get; init; }
}
