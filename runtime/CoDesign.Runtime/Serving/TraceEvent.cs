namespace CoDesign.Runtime.Serving;

/// <summary>A complete event on one track (device, processor) of the timeline, in seconds.</summary>
public readonly record struct TraceEvent(string Name, string Category, int Device, string Track, double StartS, double DurationS);

/// <summary>One stage of the run as a whole: what it served and the state it left (for stage slices and counters).</summary>
public readonly record struct StageSummary(int Index, string Kind, double StartS, double TimeS, int Tokens, int Batch,
    int DecodeRequests, int PrefillRequests, int PrefillTokens, long KvUsedTokens, double EnergyJ);

/// <summary>
/// Receives the timeline (device 0): every stage as a summary, and the operator-level timeline (stage ⊃ layer ⊃
/// operator group) of the first <see cref="StageLimit"/> stages and then of every <see cref="SampleEvery"/>-th, so a
/// long run is covered from warm-up through the steady state without millions of events.
/// </summary>
public interface ITraceSink
{
    /// <summary>How many stages from the start get the operator-level timeline.</summary>
    int StageLimit { get; }
    /// <summary>After those, every this-many-th stage does too (0: none).</summary>
    int SampleEvery => 0;
    void Add(in TraceEvent e);
    /// <summary>Every stage of the run, once (default: ignored).</summary>
    void Stage(in StageSummary s) { }
}
