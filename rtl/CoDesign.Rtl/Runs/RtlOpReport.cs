// SPDX-License-Identifier: Apache-2.0
// The result of one operator simulated on the RTL: timing, throughput against peak, accuracy, DRAM commands.
using CoDesign.Rtl.Sim;

namespace CoDesign.Rtl.Runs;

/// <summary>Raw SI numbers; CoDesign.Reports formats them.</summary>
public sealed record RtlOpReport(
    string Op, string Config, int Lanes, int Pus, int Bundles, int M, int K, int N,
    long Cycles, double ClockHz, double Seconds,
    double DramBytes, double BytesPerCycle, double PeakBytesPerCycle,
    double Flops, double FlopsPerCycle, double PeakFlopsPerCycle,
    bool BitExactVsGolden, long Mismatches, double MaxAbsError, double MaxRelError,
    double ErrorBoundUse, bool WithinErrorBound,
    DramCommandCounts DramCommands, double SimCyclesPerSecond)
{
    /// <summary>Achieved share of the bank-bundle bandwidth.</summary>
    public double BandwidthUtilisation => PeakBytesPerCycle > 0 ? BytesPerCycle / PeakBytesPerCycle : 0;
}
