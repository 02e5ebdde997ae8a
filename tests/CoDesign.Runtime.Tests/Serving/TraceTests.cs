using CoDesign.Runtime.Serving;

namespace CoDesign.Runtime.Tests.Serving;

public class TraceTests
{
    sealed class Sink : ITraceSink
    {
        public readonly List<TraceEvent> Events = [];
        public int StageLimit => 3;
        public void Add(in TraceEvent e) => Events.Add(e);
    }

    [Test]
    public void Timeline_IsNested_StageContainsLayersContainsOperators()
    {
        var sink = new Sink();
        ServingSimulator.Run(Sim.Compile("mixtral-8x7b", "duplex", 4), new WorkloadOptions { Batch = 4, Requests = 4, InputLen = 64, OutputLen = 4 }, null, sink);
        var stages = sink.Events.Where(e => e.Category == "stage").ToList();
        Assert.That(stages.Select(s => s.Name).Distinct().Count(), Is.EqualTo(3));
        foreach (var track in sink.Events.Select(e => e.Track).Distinct())
        {
            var onTrack = sink.Events.Where(e => e.Track == track).ToList();
            var layers = onTrack.Where(e => e.Category == "layer").ToList();
            var ops = onTrack.Where(e => e.Category is not ("layer" or "stage")).ToList();
            const double eps = 1e-12;
            foreach (var op in ops)
            {
                Assert.That(layers.Any(l => l.StartS - eps <= op.StartS && op.StartS + op.DurationS <= l.StartS + l.DurationS + eps)
                    || op.Name == "lm_head", Is.True, $"{op.Name} at {op.StartS} on {track} lies inside a layer");
                Assert.That(stages.Any(s => s.Track == track && s.StartS - eps <= op.StartS && op.StartS + op.DurationS <= s.StartS + s.DurationS + eps), Is.True);
            }
            // Operators on one processor never overlap.
            var sorted = ops.OrderBy(o => o.StartS).ToList();
            for (int i = 1; i < sorted.Count; i++)
                Assert.That(sorted[i].StartS, Is.GreaterThanOrEqualTo(sorted[i - 1].StartS + sorted[i - 1].DurationS - 1e-12), $"{sorted[i].Name} on {track}");
        }
    }

    sealed class SamplingSink : ITraceSink
    {
        public readonly List<TraceEvent> Events = [];
        public readonly List<StageSummary> Stages = [];
        public int StageLimit => 2;
        public int SampleEvery => 5;
        public void Add(in TraceEvent e) => Events.Add(e);
        public void Stage(in StageSummary s) => Stages.Add(s);
    }

    [Test]
    public void WholeRun_EveryStageSummarised_OperatorTimelineSampled()
    {
        var sink = new SamplingSink();
        var r = ServingSimulator.Run(Sim.Compile("mixtral-8x7b", "duplex", 4), new WorkloadOptions { Batch = 4, Requests = 8, InputLen = 64, OutputLen = 16 }, null, sink);
        var detailed = sink.Events.Where(e => e.Category == "stage").Select(e => int.Parse(e.Name.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        var expected = Enumerable.Range(0, (int)r.Stages).Where(i => i < 2 || i % 5 == 0).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Stages.Select(s => s.Index), Is.EqualTo(Enumerable.Range(0, (int)r.Stages)), "every stage, once, in order");
            Assert.That(detailed, Is.EqualTo(expected), "the first 2, then every 5th");
            Assert.That(sink.Stages.Max(s => s.Batch), Is.LessThanOrEqualTo(4));
            Assert.That(sink.Stages.All(s => s.KvUsedTokens > 0), Is.True, "a stage runs only with admitted requests");
        }
    }
}
