namespace CoDesign.Machine.Dram;

public enum PatternKind { Stream, ShortRuns, MixedReadWrite }

/// <summary>
/// A request stream seen by one pseudo-channel. Stream: consecutive accesses (a weight matrix streamed
/// over all channels: each channel sees its slice in order). ShortRuns: runs of <see cref="RunAccesses"/>
/// consecutive accesses starting at random run-aligned places (KV-cache reads of one head's block in decode
/// attention). MixedReadWrite: a stream in which each access is a write with probability
/// <see cref="WriteFraction"/>. Every random choice flows from <see cref="Seed"/>.
/// </summary>
public sealed record AccessPattern(PatternKind Kind, long Accesses, int RunAccesses = 1, double WriteFraction = 0, int Seed = 1)
{
    public static AccessPattern Stream(long accesses) => new(PatternKind.Stream, accesses);
    public static AccessPattern ShortRuns(long accesses, int runAccesses, int seed = 1) => new(PatternKind.ShortRuns, accesses, runAccesses, 0, seed);
    public static AccessPattern Mixed(long accesses, double writeFraction, int seed = 1) => new(PatternKind.MixedReadWrite, accesses, 1, writeFraction, seed);

    /// <summary>The accesses in order: (pseudo-channel-local access index, is write).</summary>
    public IEnumerable<(long Index, bool Write)> Generate(long addressSpace)
    {
        var rng = new Random(Seed);
        switch (Kind)
        {
            case PatternKind.Stream:
                for (long i = 0; i < Accesses; i++) yield return (i % addressSpace, false);
                break;
            case PatternKind.ShortRuns:
                long runs = Math.Max(1, addressSpace / Math.Max(1, RunAccesses));
                for (long i = 0; i < Accesses;)
                {
                    long start = rng.NextInt64(runs) * RunAccesses;
                    for (int k = 0; k < RunAccesses && i < Accesses; k++, i++) yield return ((start + k) % addressSpace, false);
                }
                break;
            default:
                for (long i = 0; i < Accesses; i++) yield return (i % addressSpace, rng.NextDouble() < WriteFraction);
                break;
        }
    }
}
