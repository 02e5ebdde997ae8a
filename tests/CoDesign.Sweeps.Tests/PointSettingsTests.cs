using CoDesign.Runtime.Serving;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Tests;

/// <summary>Sweep settings parse system options through the host's option tables, as the verbs do.</summary>
public class PointSettingsTests
{
    static SweepPoint Point(params (string Key, object Value)[] ps) =>
        new(0, "id", "g", new Dictionary<string, string>(), ps.ToDictionary(p => p.Key, p => p.Value), null);

    [Test]
    public void NamesMapToTheirValues_AndAMissingOneToTheDefault()
    {
        var s = PointSettings.ResolveSystem(Point(("co_processing", "experts"), ("moe_parallelism", "tp"), ("placement", "paper")));
        Assert.That((s.CoProcessing, s.MoeParallelism, s.Placement), Is.EqualTo((CoProcessing.Experts, MoeParallelism.Tp, PlacementPolicy.Paper)));
        var d = PointSettings.ResolveSystem(Point());
        Assert.That((d.CoProcessing, d.MoeParallelism, d.Placement), Is.EqualTo((CoProcessing.Unspecified, MoeParallelism.Ep, PlacementPolicy.MinTime)));
        Assert.That(PointSettings.Workload(Point(("scheduler", "chunked"))).Scheduler, Is.EqualTo(SchedulerKind.Chunked));
    }

    [TestCase("co_processing", "none, experts, attention, both, auto")]
    [TestCase("moe_parallelism", "ep, tp")]
    [TestCase("placement", "min-time, paper")]
    public void AnUnknownName_IsRefused_NotMappedToADefault(string key, string choices)
    {
        var e = Assert.Throws<InputException>(() => PointSettings.ResolveSystem(Point((key, "sometimes"))));
        Assert.That(e!.Message, Is.EqualTo($"{key}: 'sometimes' is not one of {choices}"));
        var w = Assert.Throws<InputException>(() => PointSettings.Workload(Point(("scheduler", "fifo"))));
        Assert.That(w!.Message, Does.Contain("mixed, prefill-first, chunked"));
    }
}
