using System.Text.Json;
using CoDesign.Reports.Guards;

namespace CoDesign.Reports;

/// <summary>
/// Chrome trace-event JSON (opens in Perfetto and chrome://tracing): complete ("X") events in microseconds,
/// one process per device and one thread (track) per processor, named by metadata events; counters ("C") per device.
/// </summary>
public static class ChromeTrace
{
    /// <param name="Args">shown in the viewer's details pane (FLOPs, bytes, batch, tokens, ...); null: none.</param>
    public readonly record struct Event(string Name, string Category, int Device, string Track, double StartS, double DurationS,
        IReadOnlyList<(string Key, double Value)>? Args = null);

    /// <summary>A value over time (batch size, KV cache used), drawn as a counter track.</summary>
    public readonly record struct Counter(string Name, int Device, double TimeS, double Value);

    public static byte[] Serialize(IEnumerable<Event> events, IEnumerable<Counter>? counters = null)
    {
        var list = events.ToList();
        foreach (var e in list)
        {
            FiniteCheck.Number(e.StartS, $"trace event '{e.Name}' ts");
            FiniteCheck.Number(e.DurationS, $"trace event '{e.Name}' dur");
        }
        var tracks = list.Select(e => (e.Device, e.Track)).Distinct().OrderBy(t => t.Device).ThenBy(t => t.Track, StringComparer.Ordinal).ToList();
        var tid = tracks.Select((t, i) => (t, i + 1)).ToDictionary(x => x.t, x => x.Item2);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("displayTimeUnit", "ns");
            w.WriteStartArray("traceEvents");
            foreach (var device in tracks.Select(t => t.Device).Distinct())
                Meta(w, "process_name", device, 0, $"device {device}");
            foreach (var t in tracks) Meta(w, "thread_name", t.Device, tid[t], t.Track);
            // Parents before children at equal start times, so viewers nest them.
            foreach (var e in list.OrderBy(e => e.StartS).ThenByDescending(e => e.DurationS))
            {
                w.WriteStartObject();
                w.WriteString("name", e.Name);
                w.WriteString("cat", e.Category);
                w.WriteString("ph", "X");
                w.WriteNumber("ts", Math.Round(e.StartS * 1e6, 6));
                w.WriteNumber("dur", Math.Round(e.DurationS * 1e6, 6));
                w.WriteNumber("pid", e.Device);
                w.WriteNumber("tid", tid[(e.Device, e.Track)]);
                if (e.Args is { Count: > 0 } args)
                {
                    w.WriteStartObject("args");
                    foreach (var (k, v) in args) w.WriteNumber(k, v);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            foreach (var c in counters ?? [])
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("ph", "C");
                w.WriteNumber("ts", Math.Round(c.TimeS * 1e6, 6));
                w.WriteNumber("pid", c.Device);
                w.WriteStartObject("args");
                w.WriteNumber("value", c.Value);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    static void Meta(Utf8JsonWriter w, string kind, int pid, int tid, string name)
    {
        w.WriteStartObject();
        w.WriteString("name", kind);
        w.WriteString("ph", "M");
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteString("name", name);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
