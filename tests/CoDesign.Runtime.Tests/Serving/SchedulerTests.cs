using CoDesign.Runtime.Serving;

namespace CoDesign.Runtime.Tests.Serving;

public class SchedulerTests
{
    static readonly Schema.V1.Program Mixtral = Sim.Compile("mixtral-8x7b", "duplex", 4);

    [Test]
    public void ClosedLoop_FirstStagePrefillsTheWholeBatch_ThenDecodesOnly()
    {
        var (r, stages) = Sim.Run(Mixtral, new WorkloadOptions { Batch = 8, Requests = 16, InputLen = 128, OutputLen = 10 });
        Assert.That(stages[0].Kind, Is.EqualTo("prefill-only"));
        Assert.That(stages[0].PrefillTokens, Is.EqualTo(8 * 128));
        // Prefill makes the first token; 9 more decode stages finish the first wave.
        Assert.That(stages.Skip(1).Take(9).All(s => s.Kind == "decode-only" && s.DecodeRequests == 8), Is.True);
        Assert.That(r.RequestsCompleted, Is.EqualTo(16));
        Assert.That(r.OutputTokens, Is.EqualTo(16 * 10));
    }

    [Test]
    public void ClosedLoop_RefillsAFinishedSlotInTheNextStage_AsAMixedStage()
    {
        // Different output lengths make requests finish at different stages.
        var (_, stages) = Sim.Run(Mixtral, new WorkloadOptions { Batch = 4, Requests = 12, InputLen = 64, OutputLen = 20, LengthStd = 0.5, Seed = 3 });
        var mixed = stages.Where(s => s.Kind == "mixed").ToList();
        Assert.That(mixed, Is.Not.Empty, "a replacement's prefill joins running decodes");
        // While requests remain, the batch is full in every stage.
        int lastFull = stages.FindLastIndex(s => s.Batch == 4);
        Assert.That(stages.Take(lastFull).All(s => s.Batch == 4), Is.True);
    }

    [Test]
    public void PrefillFirst_NeverMixesPrefillAndDecode()
    {
        var (_, stages) = Sim.Run(Mixtral, new WorkloadOptions { Batch = 4, Requests = 12, InputLen = 64, OutputLen = 20, LengthStd = 0.5, Scheduler = SchedulerKind.PrefillFirst });
        Assert.That(stages.Any(s => s.Kind == "mixed"), Is.False);
        Assert.That(stages.Count(s => s.Kind == "prefill-only"), Is.GreaterThan(1));
    }

    [Test]
    public void Chunked_NoStageExceedsTheChunkBudgetPlusDecodes()
    {
        var (r, stages) = Sim.Run(Mixtral, new WorkloadOptions { Batch = 4, Requests = 8, InputLen = 1000, OutputLen = 8, Scheduler = SchedulerKind.Chunked, ChunkSize = 256 });
        Assert.That(stages.All(s => s.PrefillTokens + s.DecodeRequests <= 256 || s.PrefillTokens == 0), Is.True);
        Assert.That(stages.Max(s => s.PrefillTokens), Is.EqualTo(256));
        Assert.That(r.RequestsCompleted, Is.EqualTo(8));
    }

    [Test]
    public void KvCapacity_ReducesTheBatch_AndIsNeverExceeded()
    {
        var p = Sim.Compile("mixtral-8x7b", "duplex", 4);
        long capacity = Machine.Stages.ProgramMemory.KvCapacityTokens(p);
        int perRequest = 8192 + 8192;
        int fit = (int)(capacity / perRequest);
        var (r, stages) = Sim.Run(p, new WorkloadOptions { Batch = fit * 2, Requests = fit + 5, InputLen = 8192, OutputLen = 8192 });
        Assert.That(r.BatchReducedTo, Is.EqualTo(fit));
        Assert.That(r.Notes.Any(n => n.Contains("reduced")), Is.True);
        Assert.That(stages.Max(s => s.Batch) * (long)perRequest, Is.LessThanOrEqualTo(capacity));
    }

    [Test]
    public void PoissonArrivals_HaveTheRequestedRate()
    {
        var o = new WorkloadOptions { Qps = 8, Seed = 5 };
        var requests = Workload.Generate(o, 4000, Workload.Rng(o.Seed, 1));
        double rate = (requests.Count - 1) / (requests[^1].ArrivalS - requests[0].ArrivalS);
        // 4000 exponential gaps: the rate estimate's relative standard error is 1/sqrt(4000) ≈ 1.6 %.
        Assert.That(rate, Is.EqualTo(8).Within(8 * 0.05));
    }

    [Test]
    public void OpenLoop_NeverRunsMoreThanMaxBatch()
    {
        var (r, stages) = Sim.Run(Mixtral, new WorkloadOptions { Qps = 200, MaxBatch = 16, Requests = 100, InputLen = 128, OutputLen = 32 });
        Assert.That(stages.Max(s => s.Batch), Is.EqualTo(16));
        Assert.That(r.RequestsCompleted, Is.EqualTo(100));
    }

    [Test]
    public void SameSeed_GivesIdenticalResults_OtherSeedDiffers()
    {
        var o = new WorkloadOptions { Batch = 16, Requests = 48, InputLen = 256, OutputLen = 64, LengthStd = 0.3, Routing = "zipf:1.2", Seed = 7 };
        string a = Reports.Json.Serialize(Sim.Run(Mixtral, o).Result);
        string b = Reports.Json.Serialize(Sim.Run(Mixtral, o).Result);
        string c = Reports.Json.Serialize(Sim.Run(Mixtral, o with { Seed = 8 }).Result);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
    }
}
