using CoDesign.Runtime.Serving;
using CoDesign.Sweeps.Spec;
using CoDesign.Sweeps.Studies;

namespace CoDesign.Sweeps.Tests;

/// <summary>The duplex-paper study serves the paper's workload (docs/reference/duplex-spec.md §3-§5).</summary>
public class DuplexPaperStudyTests
{
    static readonly IReadOnlyList<SweepPoint> Points = SweepExpander.Expand(DuplexPaperStudy.Build());

    static IEnumerable<SweepPoint> WithSystem(string label) => Points.Where(p => p.Text("system") == label);

    [Test]
    public void Every_point_is_a_closed_loop_with_gaussian_lengths_and_a_steady_state()
    {
        foreach (var p in Points.Where(p => p.Number("qps") is null))
        {
            var w = PointSettings.Workload(p);
            Assert.That((w.Batch, w.Qps, w.LengthStd), Is.EqualTo(((int?)p.Integer("batch"), (double?)null, DuplexPaperStudy.LengthStd)), p.Id);
            Assert.That(w.Requests, Is.EqualTo(w.Batch * DuplexPaperStudy.RequestsPerBatch), "warm-up, steady state, drain");
        }
        Assert.That(DuplexPaperStudy.RequestsPerBatch, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public void Systems_have_the_papers_settings()
    {
        Assert.That(WithSystem("Duplex").Select(p => (p.Text("placement"), p.Text("co_processing"))).Distinct(), Is.EqualTo(new[] { ("paper", "none") }));
        Assert.That(WithSystem("Bank-PIM").Select(p => p.Text("co_processing")).Distinct(), Is.EqualTo(new[] { "none" }));
        var opt = Points.Where(p => p.Text("model") == "opt-66b").Select(p => p.Integer("input_len")).Distinct().Order();
        Assert.That(opt, Is.EqualTo(new long?[] { 256, 512, 1024 }));
    }

    [Test]
    public void The_load_study_is_mixtral_4096_512_at_4_to_16_qps_with_at_most_128_running()
    {
        var load = Points.Where(p => p.Group == "qps-mixtral-8x7b").ToList();
        Assert.That(load.Select(p => p.Number("qps")).Distinct().Order(), Is.EqualTo(new double?[] { 4, 6, 8, 10, 12, 14, 16 }));
        foreach (var p in load)
        {
            var w = PointSettings.Workload(p);
            Assert.That((p.Text("model"), w.InputLen, w.OutputLen, w.MaxBatch, w.Batch), Is.EqualTo(("mixtral-8x7b", 4096, 512, 128, (int?)null)));
            Assert.That(PointSettings.Devices(p), Is.EqualTo(4));
        }
        Assert.That(load.Select(p => p.Text("system")).Distinct(), Is.EquivalentTo(new[] { "GPU", "Duplex", "Duplex+PE" }));
    }

    [Test]
    public void Each_group_gives_identical_results_for_the_same_seed()
    {
        // One cheap point per group (smallest batch and lengths; the highest rate, which ends soonest), run twice from compile on.
        foreach (var g in Points.GroupBy(p => p.Group))
        {
            var p = g.OrderBy(x => x.Integer("batch") ?? 0).ThenBy(x => x.Integer("input_len")).ThenByDescending(x => x.Number("qps") ?? 0).First();
            string Run() => System.Text.Json.JsonSerializer.Serialize(ServingSimulator.Run(PointSettings.Compile(p), PointSettings.Workload(p)));
            string first = Run(), second = Run();
            Assert.That(second, Is.EqualTo(first), p.Id);
        }
    }
}
