using CoDesign.Runtime.Serving;

namespace CoDesign.Runtime.Tests.Serving;

/// <summary>The closed loop of docs/reference/duplex-spec.md §4: a full batch, Gaussian lengths, warm-up and drain excluded.</summary>
public class SteadyStateTests
{
    static readonly Schema.V1.Program Mixtral = Sim.Compile("mixtral-8x7b", "duplex", 4);
    static readonly WorkloadOptions Closed = new() { Batch = 16, Requests = 64, InputLen = 256, OutputLen = 64, LengthStd = 0.1, Seed = 5 };

    [Test]
    public void Generated_lengths_are_gaussian_around_the_nominal_with_the_given_spread()
    {
        var list = Workload.Generate(new WorkloadOptions { Batch = 1, InputLen = 1000, OutputLen = 400, LengthStd = 0.1 }, 4000, Workload.Rng(1, 1));
        foreach (var (lengths, mean) in new[] { (list.Select(r => (double)r.InputLen).ToArray(), 1000.0), (list.Select(r => (double)r.OutputLen).ToArray(), 400.0) })
        {
            double m = lengths.Average(), sd = Math.Sqrt(lengths.Average(x => (x - m) * (x - m)));
            Assert.That(m, Is.EqualTo(mean).Within(1).Percent);
            Assert.That(sd / mean, Is.EqualTo(0.1).Within(5).Percent);
            Assert.That(lengths.Distinct().Count(), Is.GreaterThan(20), "not fixed lengths");
        }
    }

    [Test]
    public void The_closed_loop_keeps_the_batch_full_through_the_steady_state()
    {
        var (r, stages) = Sim.Run(Mixtral, Closed);
        var w = r.SteadyState!;
        Assert.That(w.StartS, Is.GreaterThan(0), "warm-up excluded");
        Assert.That(w.EndS, Is.LessThan(r.SimulatedTimeS), "drain excluded");
        var inside = stages.Where(s => s.StartS >= w.StartS && s.StartS < w.EndS).ToList();
        Assert.That(inside, Has.Count.EqualTo(w.Stages));
        Assert.That(inside.Select(s => s.Batch).Distinct(), Is.EqualTo(new[] { 16 }));
        // Replacements join running decodes: the steady state mixes decode-only and mixed stages.
        Assert.That(inside.Select(s => s.Kind).Distinct(), Is.EquivalentTo(new[] { "decode-only", "mixed" }));
        Assert.That(w.Requests, Is.InRange(1, 63), "TTFT and E2E count only requests that arrived inside");
        Assert.That(r.EffectiveBatch, Is.EqualTo(16).Within(1e-9).Percent);
        Assert.That(r.StageTimeBreakdownS!.Keys, Is.EquivalentTo(new[] { "decode_only", "mixed" }));
    }

    [Test]
    public void Throughput_is_the_tokens_of_the_window_over_its_time()
    {
        var (r, stages) = Sim.Run(Mixtral, Closed);
        var w = r.SteadyState!;
        double windowTime = stages.Where(s => s.StartS >= w.StartS && s.StartS < w.EndS).Sum(s => s.TimeS);
        Assert.That(windowTime, Is.EqualTo(w.EndS - w.StartS).Within(1e-9).Percent);
        Assert.That(r.ThroughputTokensPerS, Is.Not.EqualTo(r.OutputTokens / r.SimulatedTimeS), "the whole run would include warm-up and drain");
    }

    [Test]
    public void A_run_too_short_for_a_steady_state_reports_the_whole_run()
    {
        var (r, _) = Sim.Run(Mixtral, new WorkloadOptions { Batch = 8, Requests = 8, InputLen = 64, OutputLen = 8 });
        Assert.That(r.SteadyState, Is.Null);
        Assert.That(r.ThroughputTokensPerS, Is.EqualTo(r.OutputTokens / r.SimulatedTimeS).Within(1e-9).Percent);
    }

    [Test]
    public void The_same_seed_gives_the_same_result()
    {
        static string Json(SimulationResult r) => System.Text.Json.JsonSerializer.Serialize(r);
        string first = Json(Sim.Run(Mixtral, Closed).Result), second = Json(Sim.Run(Mixtral, Closed).Result);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(Json(Sim.Run(Mixtral, Closed with { Seed = 6 }).Result), Is.Not.EqualTo(first));
    }
}
