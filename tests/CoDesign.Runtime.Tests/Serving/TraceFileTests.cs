using System.Text.Json;
using CoDesign.Cli;
using CoDesign.Schema.Perfetto;
using PType = CoDesign.Schema.Perfetto.TrackEvent.Types.Type;

namespace CoDesign.Runtime.Tests.Serving;

/// <summary>The files `simulate --trace` writes: per-device tracks, args on operator slices, request flows, both formats.</summary>
public class TraceFileTests
{
    static string _dir = "";
    static JsonElement[] _json = [];
    static Trace _proto = new();
    static string _err = "";

    /// <summary>One chunked run written in both formats: 4 devices, prompts over several stages, so flows have all three milestones.</summary>
    static readonly string[] RunArgs = ["simulate", "--model", "mixtral-8x7b", "--devices", "4", "--batch", "4", "--requests", "8",
        "--input-len", "64", "--output-len", "8", "--scheduler", "chunked", "--chunk-size", "32", "--trace-stages", "2", "--trace-every", "3",
        "--trace-requests", "4"];

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CodesignApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [OneTimeSetUp]
    public void WriteBoth()
    {
        _dir = Directory.CreateTempSubdirectory("codesign-trace").FullName;
        var (code, _, err) = Run([.. RunArgs, "--trace", Path.Combine(_dir, "t.json")]);
        Assert.That(code, Is.EqualTo(0), err);
        _err = err;
        (code, _, err) = Run([.. RunArgs, "--trace", Path.Combine(_dir, "t.perfetto-trace")]);
        Assert.That(code, Is.EqualTo(0), err);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_dir, "t.json")));
        _json = doc.RootElement.GetProperty("traceEvents").EnumerateArray().Select(e => e.Clone()).ToArray();
        _proto = Trace.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(_dir, "t.perfetto-trace")));
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, true);

    static IEnumerable<JsonElement> Ph(string ph) => _json.Where(e => e.GetProperty("ph").GetString() == ph);

    [Test]
    public void Json_EachDeviceHasItsOwnProcessAndTracks()
    {
        var processes = Ph("M").Where(e => e.GetProperty("name").GetString() == "process_name")
            .ToDictionary(e => e.GetProperty("pid").GetInt32(), e => e.GetProperty("args").GetProperty("name").GetString());
        Assert.That(processes.Values, Is.SupersetOf(new[] { "device 0", "device 1", "device 2", "device 3" }));
        foreach (var device in Enumerable.Range(0, 4))
        {
            int pid = processes.Single(p => p.Value == $"device {device}").Key;
            var ops = Ph("X").Where(e => e.GetProperty("pid").GetInt32() == pid && e.GetProperty("cat").GetString() is not ("stage" or "layer")).ToList();
            Assert.That(ops.Select(e => e.GetProperty("name").GetString()), Does.Contain("experts"), $"device {device} draws its experts");
            Assert.That(ops.Count, Is.GreaterThan(100), $"device {device}");
        }
        Assert.That(_err, Does.Contain("on 4 of 4 devices").And.Contain("flows of 4 requests").And.Contain("MiB"), "size and content stated");
    }

    [Test]
    public void Json_OperatorSlicesCarryFlopsBytesTokensBatch()
    {
        var ops = Ph("X").Where(e => e.GetProperty("cat").GetString() is not ("stage" or "layer" or "stages")).ToList();
        Assert.That(ops, Is.Not.Empty);
        foreach (var op in ops)
        {
            var args = op.GetProperty("args");
            string name = op.GetProperty("name").GetString()!;
            foreach (var key in new[] { "flops", "bytes", "tokens", "batch" }) Assert.That(args.TryGetProperty(key, out _), Is.True, $"{name}.{key}");
            Assert.That(args.GetProperty("flops").GetDouble() + args.GetProperty("bytes").GetDouble(), Is.GreaterThan(0), name);
            Assert.That(args.GetProperty("batch").GetDouble(), Is.InRange(1, 4), name);
        }
        var projections = ops.Where(o => o.GetProperty("cat").GetString() == "projection").ToList();
        Assert.That(projections, Is.Not.Empty);
        Assert.That(projections.All(o => o.GetProperty("args").GetProperty("flops").GetDouble() > 0 && o.GetProperty("args").GetProperty("bytes").GetDouble() > 0), Is.True);
        Assert.That(ops.Where(o => o.GetProperty("cat").GetString() == "communication").All(o => o.GetProperty("args").GetProperty("bytes").GetDouble() > 0), Is.True,
            "collectives carry the bytes they move");
    }

    [Test]
    public void Json_EachSampledRequestIsOneFlow_PrefillToFirstTokenToEnd_OnItsStages()
    {
        var flows = _json.Where(e => e.GetProperty("ph").GetString() is "s" or "t" or "f").GroupBy(e => e.GetProperty("id").GetInt64()).ToList();
        var stages = Ph("X").Where(e => e.GetProperty("cat").GetString() == "stages").ToList();
        Assert.That(flows, Has.Count.EqualTo(4));
        foreach (var f in flows)
        {
            var phases = f.Select(e => e.GetProperty("ph").GetString()).ToList();
            Assert.That(phases, Is.EqualTo(new[] { "s", "t", "f" }), $"request {f.Key}: prefill start, first token, done");
            var ts = f.Select(e => e.GetProperty("ts").GetDouble()).ToList();
            Assert.That(ts, Is.Ordered.Ascending);
            foreach (var point in f)
                Assert.That(stages.Count(s => s.GetProperty("pid").GetInt32() == point.GetProperty("pid").GetInt32()
                    && s.GetProperty("ts").GetDouble() < point.GetProperty("ts").GetDouble()
                    && point.GetProperty("ts").GetDouble() < s.GetProperty("ts").GetDouble() + s.GetProperty("dur").GetDouble()), Is.EqualTo(1),
                    "each point lies inside exactly one stage slice");
        }
    }

    [Test]
    public void Perfetto_ParsesBack_WithTheJsonsTracksSlicesCountersAndFlows()
    {
        var descriptors = _proto.Packet.Where(p => p.DataCase == TracePacket.DataOneofCase.TrackDescriptor).Select(p => p.TrackDescriptor).ToList();
        var events = _proto.Packet.Where(p => p.DataCase == TracePacket.DataOneofCase.TrackEvent).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(descriptors.Select(d => d.Uuid).Distinct().Count(), Is.EqualTo(descriptors.Count), "unique track uuids");
            Assert.That(descriptors.Where(d => d.Process is not null).Select(d => d.Process.ProcessName),
                Is.EquivalentTo(Ph("M").Where(e => e.GetProperty("name").GetString() == "process_name").Select(e => e.GetProperty("args").GetProperty("name").GetString())));
            Assert.That(descriptors.Where(d => d.Thread is not null).Select(d => d.Thread.ThreadName),
                Is.EquivalentTo(Ph("M").Where(e => e.GetProperty("name").GetString() == "thread_name").Select(e => e.GetProperty("args").GetProperty("name").GetString())));
            Assert.That(events.Count(p => p.TrackEvent.Type == PType.SliceBegin), Is.EqualTo(Ph("X").Count()), "the same slices as the JSON");
            Assert.That(events.Count(p => p.TrackEvent.Type == PType.Counter), Is.EqualTo(Ph("C").Count()));
            Assert.That(events.SelectMany(p => p.TrackEvent.FlowIds.Concat(p.TrackEvent.TerminatingFlowIds)).Count(),
                Is.EqualTo(_json.Count(e => e.GetProperty("ph").GetString() is "s" or "t" or "f")), "every flow point on a slice");
            Assert.That(events.SelectMany(p => p.TrackEvent.TerminatingFlowIds).Order(), Is.EqualTo(Ph("f").Select(e => (ulong)e.GetProperty("id").GetInt64()).Order()));
            Assert.That(events.Select(p => p.Timestamp), Is.Ordered.Ascending, "packets in time order");
            Assert.That(_proto.Packet.All(p => p.TrustedPacketSequenceId == 1), Is.True);
        }
        var threadTracks = descriptors.Where(d => d.Thread is not null).Select(d => d.Uuid).ToHashSet();
        var counterTracks = descriptors.Where(d => d.Counter is not null).Select(d => d.Uuid).ToHashSet();
        Assert.That(events.Select(p => p.TrackEvent).Count(e => !(e.Type == PType.Counter ? counterTracks : threadTracks).Contains(e.TrackUuid)), Is.Zero,
            "every event on a described track of its kind");
        // Slices on every track nest: depth never goes below zero and ends at zero, and every begin has its args.
        foreach (var track in events.GroupBy(p => p.TrackEvent.TrackUuid).Where(g => threadTracks.Contains(g.Key)))
        {
            int depth = 0, lowest = 0;
            foreach (var p in track)
            {
                depth += p.TrackEvent.Type == PType.SliceBegin ? 1 : -1;
                lowest = Math.Min(lowest, depth);
            }
            Assert.That((lowest, depth), Is.EqualTo((0, 0)), $"track {track.Key} nests");
        }
        var gemm = events.Select(p => p.TrackEvent).First(e => e.Type == PType.SliceBegin && e.Categories.Contains("projection"));
        Assert.That(gemm.DebugAnnotations.Select(a => a.Name), Is.EquivalentTo(new[] { "flops", "bytes", "tokens", "batch" }));
    }

    [Test]
    public void UnknownTraceFormat_ExitsTwo_NamingTheOption()
    {
        var (code, _, err) = Run([.. RunArgs, "--trace", Path.Combine(_dir, "x.json"), "--trace-format", "xml"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--trace-format"));
        Assert.That(File.Exists(Path.Combine(_dir, "x.json")), Is.False);
    }
}
