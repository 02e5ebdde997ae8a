namespace CoDesign.Runtime.Serving;

/// <summary>What one operator slice did: its work and the stage it belongs to (shown as slice args).</summary>
public readonly record struct OpArgs(double Flops, double Bytes, int Tokens, int Batch);

/// <summary>A complete event on one track (device, processor) of the timeline, in seconds; <paramref name="Args"/> for operator slices.</summary>
public readonly record struct TraceEvent(string Name, string Category, int Device, string Track, double StartS, double DurationS, OpArgs? Args = null);

/// <summary>One stage of the run as a whole: what it served and the state it left (for stage slices and counters).</summary>
public readonly record struct StageSummary(int Index, string Kind, double StartS, double TimeS, int Tokens, int Batch,
    int DecodeRequests, int PrefillRequests, int PrefillTokens, long KvUsedTokens, double EnergyJ);

/// <summary>A milestone of one request: the stage where its prefill starts, where it gets its first token, where it ends.</summary>
public enum RequestStepKind { PrefillStart, FirstToken, Done }

/// <summary>Request <paramref name="RequestId"/> reached <paramref name="Kind"/> in stage <paramref name="Stage"/> (which started at <paramref name="StageStartS"/>).</summary>
public readonly record struct RequestStep(int RequestId, RequestStepKind Kind, int Stage, double StageStartS, double StageS);

/// <summary>
/// Receives the timeline: every stage as a summary, and the operator-level timeline (stage ⊃ layer ⊃ operator
/// group) of the first <see cref="StageLimit"/> stages and then of every <see cref="SampleEvery"/>-th, on the tracks of
/// the first <see cref="DeviceLimit"/> devices, so a long run is covered from warm-up through the steady state without
/// millions of events; and the milestones of <see cref="FlowRequests"/> requests spread evenly over the run.
/// </summary>
public interface ITraceSink
{
    /// <summary>How many stages from the start get the operator-level timeline.</summary>
    int StageLimit { get; }
    /// <summary>After those, every this-many-th stage does too (0: none).</summary>
    int SampleEvery => 0;
    /// <summary>How many devices (from device 0) get their own tracks in the operator timeline.</summary>
    int DeviceLimit => 1;
    /// <summary>How many requests, spread evenly over the run, report their milestones (0: none).</summary>
    int FlowRequests => 0;
    void Add(in TraceEvent e);
    /// <summary>Every stage of the run, once (default: ignored).</summary>
    void Stage(in StageSummary s) { }
    /// <summary>A milestone of a sampled request (default: ignored).</summary>
    void Request(in RequestStep step) { }
}
