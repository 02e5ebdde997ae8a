using System.Collections.Concurrent;
using CoDesign.Schema.V1;

namespace CoDesign.Machine.Dram;

/// <summary>What an operator's bytes are, as the DRAM sees them.</summary>
public enum TrafficClass { Weights, KvCache, Activations }

/// <summary>
/// Reachable fraction of a processor's peak DRAM bandwidth per traffic class, from <see cref="HbmChannelSimulator"/>.
/// Each (timing, geometry, pattern) is simulated once per process and cached, so the serving simulator
/// pays a few hundred milliseconds once instead of a simulation per operator.
/// </summary>
public static class DramEfficiency
{
    /// <summary>Accesses simulated per class: about eight tREFI of streaming on the external path, enough for
    /// refresh to average out (the result moves by under 1 % from 8k to 20k accesses) [I].</summary>
    public const int Accesses = 16000;

    /// <summary>[I] our choice: a paged KV cache of 16-token blocks (vLLM's default block size, Kwon et al.,
    /// SOSP 2023) of a 128-wide head in FP16 = 4 KB contiguous per head per block.</summary>
    public const int KvRunBytes = 16 * 128 * 2;

    /// <summary>[I] our choice: element-wise operators read as much as they write.</summary>
    public const double ActivationWriteFraction = 0.5;

    static readonly ConcurrentDictionary<(HbmTiming, DramGeometry, AccessPattern, bool), DramResult> Cache = new();

    public static DramPath PathOf(ProcessorKind kind) => kind switch
    {
        ProcessorKind.LogicPim or ProcessorKind.BankgroupPim => DramPath.BankBundle,
        ProcessorKind.BankPim => DramPath.AllBank,
        _ => DramPath.External,
    };

    /// <summary>The simulated behaviour of <paramref name="cls"/> traffic on <paramref name="kind"/>'s path;
    /// null when the memory description has no timing.</summary>
    public static DramResult? Of(Memory? memory, ProcessorKind kind, TrafficClass cls)
    {
        if (memory?.Timing is not { TckS: > 0 } mt) return null;
        var t = HbmTiming.From(mt);
        var path = PathOf(kind);
        // [T] one bank bundle per stream, as published and as the RTL calibration ran (HardwarePresets).
        var g = DramGeometry.Of(memory, t, path, bundlesPerStream: 1);
        var pattern = path != DramPath.External || cls == TrafficClass.Weights ? AccessPattern.Stream(Accesses)
            : cls == TrafficClass.KvCache ? AccessPattern.ShortRuns(Accesses, Math.Max(1, KvRunBytes / g.BytesPerAccess))
            : AccessPattern.Mixed(Accesses, ActivationWriteFraction);
        return Cache.GetOrAdd((t, g, pattern, true), k =>
        {
            var map = k.Item2.Path == DramPath.External ? AddressMapping.BankGroupInterleaved(k.Item2) : AddressMapping.RowInterleaved(k.Item2);
            return HbmChannelSimulator.Run(k.Item2, k.Item1, map, k.Item3, new DramControllerOptions(OpenPage: k.Item4));
        });
    }
}
