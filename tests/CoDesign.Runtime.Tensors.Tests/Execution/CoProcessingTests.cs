using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;

namespace CoDesign.Runtime.Tensors.Tests.Execution;

/// <summary>
/// Real co-processing: the xPU side and the PIM side are separate backend instances on their own threads. A
/// request that arrives while others decode makes a mixed stage, where (paper placement) prefill attention runs on
/// the xPU while decode attention runs on PIM.
/// </summary>
public class CoProcessingTests
{
    static readonly Request[] Schedule =
    [
        new(0, [5, 17, 42, 9], 6),
        new(1, [100, 7], 3),
        new(2, [1, 2, 3, 4, 5, 6], 4, ArrivalStage: 3),
    ];

    static EngineResult Run(bool coProcessing)
    {
        using var xpu = new CpuBackend();
        using var pim = new CpuBackend();
        return new InferenceEngine(TestModels.TinyMoe, xpu, pim, TestModels.Options(coProcessing, maxBatch: 4)).Run(Schedule);
    }

    [Test]
    public void A_late_request_joins_at_its_arrival_and_makes_a_mixed_stage()
    {
        var r = Run(coProcessing: true);
        Assert.That(r.Requests[2].AdmittedAtStage, Is.EqualTo(3));
        var mixed = r.Stages.Single(s => s.Index == 3);
        Assert.That(mixed.Kind, Is.EqualTo("mixed"));
        Assert.That(mixed.PrefillTokens, Is.EqualTo(6));
        Assert.That(mixed.DecodeAttentionOnPim, Is.GreaterThan(0), "decode attention on PIM in the mixed stage");
        Assert.That(mixed.OnPim, Does.Not.Contain("attention.prefill"), "paper placement: prefill attention on the xPU");
    }

    [Test]
    public void Concurrent_sides_give_the_tokens_of_sequential_ones()
    {
        var on = Run(coProcessing: true);
        var off = Run(coProcessing: false);
        for (int i = 0; i < Schedule.Length; i++)
            Assert.That(on.Requests[i].Generated, Is.EqualTo(off.Requests[i].Generated), $"request {i}");
        Assert.That(off.Stages.All(s => s.OverlapSeconds == 0), Is.True, "without co-processing one side waits for the other");
        Assert.That(on.Stages.Sum(s => s.OverlapSeconds), Is.GreaterThan(0), "with co-processing both sides were busy at once");
    }

    [Test]
    public void Idle_stages_before_an_arrival_are_skipped()
    {
        using var b = new CpuBackend();
        var r = new InferenceEngine(TestModels.TinyDense, b, b, TestModels.Options(model: TestModels.TinyDense)).Run([new Request(0, [3, 4], 2, ArrivalStage: 5)]);
        Assert.That(r.Stages.Select(s => s.Index), Is.EqualTo(new[] { 5, 6 }));
        Assert.That(r.Requests[0].AdmittedAtStage, Is.EqualTo(5));
    }

    [Test]
    public void BusyOverlap_is_the_intersection_of_the_two_unions() =>
        Assert.That(BusyOverlap.Of([(0, 10), (5, 12), (20, 30)], [(8, 22), (29, 40)]), Is.EqualTo(4 + 2 + 1));
}
