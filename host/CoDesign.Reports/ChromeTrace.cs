using System.Text.Json;
using CoDesign.Reports.Guards;

namespace CoDesign.Reports;

/// <summary>
/// Chrome trace-event JSON (opens in Perfetto and chrome://tracing): complete ("X") events in microseconds,
/// one process per device and one thread (track) per processor, named by metadata events; counters ("C");
/// flows ("s"/"t"/"f") that tie a request's stages together. Device <see cref="Serving"/> is the scheduler's
/// process (stage slices, counters, request flows). <see cref="PerfettoTrace"/> writes the same content as protobuf.
/// </summary>
public static class ChromeTrace
{
    /// <summary>The device number of the serving process: the run as a whole rather than one device.</summary>
    public const int Serving = -1;

    /// <param name="Args">shown in the viewer's details pane (FLOPs, bytes, batch, tokens, ...); null: none.</param>
    public readonly record struct Event(string Name, string Category, int Device, string Track, double StartS, double DurationS,
        IReadOnlyList<(string Key, double Value)>? Args = null);

    /// <summary>A value over time (batch size, KV cache used), drawn as a counter track.</summary>
    public readonly record struct Counter(string Name, int Device, double TimeS, double Value);

    public enum FlowPhase { Start, Step, End }

    /// <summary>One point of flow <paramref name="Id"/>: binds to the slice of that track that encloses <paramref name="TimeS"/>.</summary>
    public readonly record struct Flow(long Id, string Name, int Device, string Track, double TimeS, FlowPhase Phase);

    /// <summary>Process id of a device. Viewers treat pid 0 as the idle process, so ids start at 1 (the serving process).</summary>
    public static int Pid(int device) => device + 2;

    public static string ProcessName(int device) => device == Serving ? "serving (stages, counters, requests)" : $"device {device}";

    /// <summary>Every (device, track) that holds an event or flow, in the order both writers number them (tid from 1).</summary>
    public static List<(int Device, string Track)> Tracks(IEnumerable<Event> events, IEnumerable<Flow> flows) =>
        events.Select(e => (e.Device, e.Track)).Concat(flows.Select(f => (f.Device, f.Track))).Distinct()
            .OrderBy(t => t.Device).ThenBy(t => t.Track, StringComparer.Ordinal).ToList();

    /// <summary>Values the viewers cannot show are refused (exit 1 naming the event), before anything is written.</summary>
    public static void Check(IReadOnlyList<Event> events, IEnumerable<Counter> counters)
    {
        foreach (var e in events)
        {
            FiniteCheck.Number(e.StartS, $"trace event '{e.Name}' ts");
            FiniteCheck.Number(e.DurationS, $"trace event '{e.Name}' dur");
            foreach (var (k, v) in e.Args ?? []) FiniteCheck.Number(v, $"trace event '{e.Name}' {k}");
        }
        foreach (var c in counters)
        {
            FiniteCheck.Number(c.TimeS, $"trace counter '{c.Name}' ts");
            FiniteCheck.Number(c.Value, $"trace counter '{c.Name}' value");
        }
    }

    public static byte[] Serialize(IEnumerable<Event> events, IEnumerable<Counter>? counters = null, IEnumerable<Flow>? flows = null)
    {
        var list = events.ToList();
        var counterList = counters?.ToList() ?? [];
        var flowList = flows?.ToList() ?? [];
        Check(list, counterList);
        var tracks = Tracks(list, flowList);
        var tid = tracks.Select((t, i) => (t, i + 1)).ToDictionary(x => x.t, x => x.Item2);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("displayTimeUnit", "ns");
            w.WriteStartArray("traceEvents");
            foreach (var device in tracks.Select(t => t.Device).Concat(counterList.Select(c => c.Device)).Distinct().Order())
            {
                Meta(w, "process_name", Pid(device), 0, "name", ProcessName(device));
                Meta(w, "process_sort_index", Pid(device), 0, "sort_index", Pid(device));
            }
            foreach (var t in tracks) Meta(w, "thread_name", Pid(t.Device), tid[t], "name", t.Track);
            // Parents before children at equal start times, so viewers nest them.
            foreach (var e in list.OrderBy(e => e.StartS).ThenByDescending(e => e.DurationS))
            {
                w.WriteStartObject();
                w.WriteString("name", e.Name);
                w.WriteString("cat", e.Category);
                w.WriteString("ph", "X");
                w.WriteNumber("ts", Math.Round(e.StartS * 1e6, 6));
                w.WriteNumber("dur", Math.Round(e.DurationS * 1e6, 6));
                w.WriteNumber("pid", Pid(e.Device));
                w.WriteNumber("tid", tid[(e.Device, e.Track)]);
                if (e.Args is { Count: > 0 } args)
                {
                    w.WriteStartObject("args");
                    foreach (var (k, v) in args) w.WriteNumber(k, v);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            foreach (var c in counterList)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("ph", "C");
                w.WriteNumber("ts", Math.Round(c.TimeS * 1e6, 6));
                w.WriteNumber("pid", Pid(c.Device));
                w.WriteStartObject("args");
                w.WriteNumber("value", c.Value);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            foreach (var f in flowList)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("cat", "request");
                w.WriteString("ph", f.Phase switch { FlowPhase.Start => "s", FlowPhase.Step => "t", _ => "f" });
                w.WriteNumber("id", f.Id);
                w.WriteNumber("ts", Math.Round(f.TimeS * 1e6, 6));
                w.WriteNumber("pid", Pid(f.Device));
                w.WriteNumber("tid", tid[(f.Device, f.Track)]);
                // Bind the end to the enclosing slice, not the next one (the default for "f").
                if (f.Phase == FlowPhase.End) w.WriteString("bp", "e");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    static void Meta(Utf8JsonWriter w, string kind, int pid, int tid, string key, object value)
    {
        w.WriteStartObject();
        w.WriteString("name", kind);
        w.WriteString("ph", "M");
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        if (value is int i) w.WriteNumber(key, i); else w.WriteString(key, (string)value);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
