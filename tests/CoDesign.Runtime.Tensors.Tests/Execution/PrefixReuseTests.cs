using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;

namespace CoDesign.Runtime.Tensors.Tests.Execution;

/// <summary>Real prefix KV reuse: requests sharing a prompt prefix copy its K and V, and the tokens equal a run without reuse.</summary>
public class PrefixReuseTests
{
    [Test]
    public void SharedPrefix_IsComputedOnce_AndTokensEqualNoReuse()
    {
        var w = TestModels.TinyMoe;
        int[] shared = [5, 6, 7, 8, 9, 10, 11];
        var reqs = new List<Request>
        {
            new(0, [.. shared, 1], 4),
            new(1, [.. shared, 2, 3], 4),
            new(2, [5, 6, 7, 8, 4], 4),
            new(3, [12, 13, 14], 4),
        };
        using var cpu = new CpuBackend();
        EngineResult Run(bool reuse) => new InferenceEngine(w, cpu, cpu, new EngineOptions
        {
            MaxBatch = 4,
            Plan = TestModels.Options(maxBatch: 4).Plan,
            PrefixReuse = reuse,
        }).Run(reqs);
        var plain = Run(false);
        var reused = Run(true);
        Assert.That(reused.Requests.Select(r => r.Generated), Is.EqualTo(plain.Requests.Select(r => r.Generated)));
        // Request 1 reuses the 7 shared tokens, request 2 the 4 it shares; request 3 shares nothing.
        Assert.That(reused.PrefixTokensReused, Is.EqualTo(7 + 4));
        Assert.That(plain.PrefixTokensReused, Is.Zero);
        Assert.That(reused.Stages.Sum(s => s.PrefillTokens), Is.EqualTo(plain.Stages.Sum(s => s.PrefillTokens) - 11));
    }
}
