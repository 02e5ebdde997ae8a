namespace CoDesign.Runtime.Serving;

/// <summary>A complete event on one track (device, processor) of the timeline, in seconds.</summary>
public readonly record struct TraceEvent(string Name, string Category, int Device, string Track, double StartS, double DurationS);

/// <summary>Receives the timeline of the first stages (device 0), nested stage ⊃ layer ⊃ operator group.</summary>
public interface ITraceSink
{
    /// <summary>How many stages to trace (a whole run would be millions of events).</summary>
    int StageLimit { get; }
    void Add(in TraceEvent e);
}
