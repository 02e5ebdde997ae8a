using CoDesign.Schema.Perfetto;
using Google.Protobuf;

namespace CoDesign.Reports;

/// <summary>
/// The same trace as <see cref="ChromeTrace"/> in Perfetto's own protobuf format (a <c>Trace</c> of
/// <c>TracePacket</c>s, schema subset in Protos/perfetto/trace.proto): a TrackDescriptor per device process,
/// processor track and counter, then TrackEvent slice begin/end pairs (nanoseconds) with their args as debug
/// annotations, counter values, and flows on the slices. Perfetto reads it packet by packet instead of parsing one
/// JSON document whole (the UI's JSON import is limited by the browser's string and memory limits), so it is the
/// format for long runs; it is also smaller (a binary number instead of decimal text).
/// </summary>
public static class PerfettoTrace
{
    const uint Sequence = 1;
    const uint IncrementalStateCleared = 1;   // TracePacket.SequenceFlags.SEQ_INCREMENTAL_STATE_CLEARED upstream

    static ulong ProcessUuid(int device) => (ulong)ChromeTrace.Pid(device) << 32;

    public static byte[] Serialize(IEnumerable<ChromeTrace.Event> events, IEnumerable<ChromeTrace.Counter>? counters = null,
        IEnumerable<ChromeTrace.Flow>? flows = null)
    {
        var list = events.ToList();
        var counterList = counters?.ToList() ?? [];
        var flowList = flows?.ToList() ?? [];
        ChromeTrace.Check(list, counterList);
        var tracks = ChromeTrace.Tracks(list, flowList);
        var trackUuid = tracks.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => ProcessUuid(x.t.Device) | (uint)(x.i + 1));
        var counterTracks = counterList.Select(c => (c.Device, c.Name)).Distinct().ToList();
        var counterUuid = counterTracks.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => ProcessUuid(x.c.Device) | 0x8000_0000u | (uint)x.i);

        var descriptors = new List<TracePacket>();
        foreach (int device in tracks.Select(t => t.Device).Concat(counterTracks.Select(c => c.Device)).Distinct().Order())
            descriptors.Add(Descriptor(new TrackDescriptor
            {
                Uuid = ProcessUuid(device),
                Process = new ProcessDescriptor { Pid = ChromeTrace.Pid(device), ProcessName = ChromeTrace.ProcessName(device) },
            }));
        for (int i = 0; i < tracks.Count; i++)
            descriptors.Add(Descriptor(new TrackDescriptor
            {
                Uuid = trackUuid[tracks[i]],
                ParentUuid = ProcessUuid(tracks[i].Device),
                Thread = new ThreadDescriptor { Pid = ChromeTrace.Pid(tracks[i].Device), Tid = i + 1, ThreadName = tracks[i].Track },
            }));
        foreach (var c in counterTracks)
            descriptors.Add(Descriptor(new TrackDescriptor
            {
                Uuid = counterUuid[c],
                ParentUuid = ProcessUuid(c.Device),
                Name = c.Name,
                Counter = new CounterDescriptor(),
            }));
        if (descriptors.Count > 0) descriptors[0].SequenceFlags = IncrementalStateCleared;

        var timed = new List<(ulong Ts, TracePacket Packet)>();
        var flowsOn = FlowsBySlice(list, flowList);
        foreach (var group in list.Select((e, i) => (e, i)).GroupBy(x => (x.e.Device, x.e.Track)))
            Slices(group.OrderBy(x => x.e.StartS).ThenByDescending(x => x.e.DurationS).ToList(), trackUuid[group.Key], flowsOn, timed);
        foreach (var c in counterList)
            timed.Add((Ns(c.TimeS), Event(Ns(c.TimeS), new TrackEvent
            {
                Type = TrackEvent.Types.Type.Counter,
                TrackUuid = counterUuid[(c.Device, c.Name)],
                DoubleCounterValue = c.Value,
            })));

        using var ms = new MemoryStream();
        var output = new CodedOutputStream(ms);
        // Trace.packet = 1, one length-delimited packet at a time: the same bytes as one Trace message, never held whole.
        foreach (var p in descriptors.Concat(timed.Select((t, i) => (t, i)).OrderBy(x => x.t.Ts).ThenBy(x => x.i).Select(x => x.t.Packet)))
        {
            output.WriteTag(Trace.PacketFieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteMessage(p);
        }
        output.Flush();
        return ms.ToArray();
    }

    static ulong Ns(double seconds) => (ulong)Math.Max(0, Math.Round(seconds * 1e9));

    static TracePacket Descriptor(TrackDescriptor d) => new() { TrackDescriptor = d, TrustedPacketSequenceId = Sequence };

    static TracePacket Event(ulong ts, TrackEvent e) => new() { Timestamp = ts, TrackEvent = e, TrustedPacketSequenceId = Sequence };

    /// <summary>
    /// One track's events as begin/end pairs. Perfetto needs strict nesting, so a child's end is clamped to its
    /// parent's (rounding to nanoseconds can push it past by one).
    /// </summary>
    static void Slices(List<(ChromeTrace.Event E, int Index)> sorted, ulong track, Dictionary<int, List<(long Id, bool End)>> flowsOn,
        List<(ulong, TracePacket)> timed)
    {
        var open = new Stack<ulong>();
        void Close(ulong ts) => timed.Add((ts, Event(ts, new TrackEvent { Type = TrackEvent.Types.Type.SliceEnd, TrackUuid = track })));
        foreach (var (e, index) in sorted)
        {
            ulong start = Ns(e.StartS), end = Math.Max(start, Ns(e.StartS + e.DurationS));
            while (open.Count > 0 && open.Peek() <= start) Close(open.Pop());
            if (open.Count > 0) end = Math.Min(end, open.Peek());
            var te = new TrackEvent { Type = TrackEvent.Types.Type.SliceBegin, TrackUuid = track, Name = e.Name };
            te.Categories.Add(e.Category);
            foreach (var (k, v) in e.Args ?? []) te.DebugAnnotations.Add(new DebugAnnotation { Name = k, DoubleValue = v });
            if (flowsOn.TryGetValue(index, out var fl))
                foreach (var (id, last) in fl) (last ? te.TerminatingFlowIds : te.FlowIds).Add((ulong)id);
            timed.Add((start, Event(start, te)));
            open.Push(end);
        }
        while (open.Count > 0) Close(open.Pop());
    }

    /// <summary>Each flow point on the innermost slice of its track that encloses its time (as the JSON viewers bind it).</summary>
    static Dictionary<int, List<(long, bool)>> FlowsBySlice(List<ChromeTrace.Event> events, List<ChromeTrace.Flow> flows)
    {
        var result = new Dictionary<int, List<(long, bool)>>();
        if (flows.Count == 0) return result;
        var byTrack = events.Select((e, i) => (e, i)).ToLookup(x => (x.e.Device, x.e.Track));
        foreach (var f in flows)
        {
            int best = -1;
            foreach (var (e, i) in byTrack[(f.Device, f.Track)])
                if (e.StartS <= f.TimeS && f.TimeS <= e.StartS + e.DurationS && (best < 0 || e.DurationS < events[best].DurationS)) best = i;
            if (best < 0) continue;
            if (!result.TryGetValue(best, out var l)) result[best] = l = [];
            l.Add((f.Id, f.Phase == ChromeTrace.FlowPhase.End));
        }
        return result;
    }
}
