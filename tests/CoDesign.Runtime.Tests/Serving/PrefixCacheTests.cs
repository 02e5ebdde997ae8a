using CoDesign.Machine.Stages;
using CoDesign.Runtime.Serving;
using CoDesign.Runtime.Serving.Techniques;

namespace CoDesign.Runtime.Tests.Serving;

/// <summary>The prefix cache: capacity, pinning, LRU eviction, hit accounting; and its effect on a simulation.</summary>
public class PrefixCacheTests
{
    static readonly Schema.V1.Program Mixtral = Sim.Compile("mixtral-8x7b", "duplex", 4);

    [Test]
    public void Insert_ThatExactlyFills_Fits_AndTheNextIsRefusedWhilePinned()
    {
        var c = new PrefixCache(100);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.TryInsert(1, 60), Is.True);
            Assert.That(c.TryInsert(2, 40), Is.True);
            Assert.That(c.UsedTokens, Is.EqualTo(100));
            Assert.That(c.TryInsert(3, 1), Is.False, "both entries are pinned");
            Assert.That(c.Refused, Is.EqualTo(1));
        }
    }

    [Test]
    public void Eviction_TakesTheLeastRecentlyUsedUnpinnedEntry()
    {
        var c = new PrefixCache(100);
        c.TryInsert(1, 40);
        c.TryInsert(2, 40);
        c.Release(1);
        c.Release(2);
        Assert.That(c.TryAcquire(1), Is.True);   // 1 is now the most recent (and pinned again)
        c.Release(1);
        Assert.That(c.TryInsert(3, 40), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.Contains(2), Is.False, "2 was least recently used");
            Assert.That(c.Contains(1), Is.True);
            Assert.That(c.Evictions, Is.EqualTo(1));
            Assert.That(c.UsedTokens, Is.EqualTo(80));
            Assert.That(c.TryAcquire(2), Is.False);
            Assert.That((c.Hits, c.Misses), Is.EqualTo((1L, 1L)));
        }
    }

    static WorkloadOptions Shared(int groups) => new()
    {
        Batch = 4,
        Requests = 12,
        InputLen = 128,
        OutputLen = 8,
        Prefix = new PrefixOptions { SharedPrefix = 96, Groups = groups },
    };

    [Test]
    public void OneGroup_FirstWaveMisses_LaterWavesHitAndSkipThePrefix()
    {
        var (r, stages) = Sim.Run(Mixtral, Shared(1));
        var pc = r.PrefixCache!;
        using (Assert.EnterMultipleScope())
        {
            // All four of the first wave are admitted before any prefill finishes; the eight after find it cached.
            Assert.That((pc.Hits, pc.Misses), Is.EqualTo((8L, 4L)));
            Assert.That(pc.SkippedPrefillTokens, Is.EqualTo(8 * 96));
            Assert.That(pc.PromptTokens, Is.EqualTo(12 * 128));
            Assert.That(pc.CapacityTokens, Is.EqualTo((long)Math.Floor(0.25 * r.KvCapacityTokens)));
            Assert.That(stages.Sum(s => s.PrefillTokens), Is.EqualTo(12 * 128 - 8 * 96));
            Assert.That(r.OutputTokens, Is.EqualTo(12 * 8));
        }
    }

    [Test]
    public void SameSeed_SameResult_AndPrefixReuseIsFasterThanNone()
    {
        var a = Sim.Run(Mixtral, Shared(2)).Result;
        var b = Sim.Run(Mixtral, Shared(2)).Result;
        var none = Sim.Run(Mixtral, Shared(2) with { Prefix = null }).Result;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(b.SimulatedTimeS, Is.EqualTo(a.SimulatedTimeS));
            Assert.That(b.PrefixCache, Is.EqualTo(a.PrefixCache));
            Assert.That(a.SimulatedTimeS, Is.LessThan(none.SimulatedTimeS));
        }
    }

    [Test]
    public void SharedPrefix_IsReadOncePerGroup_InDecodeAttention()
    {
        var s = new StageShape();
        s.AddDecode(1000, 1, 1000 - 800);
        s.AddDecode(1000, 1, 1000 - 800);
        s.AddSharedKv(800);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.DecodeContext, Is.EqualTo(200 + 200 + 800));
            Assert.That(s.Features[(int)Schema.V1.StageFeature.DecodePairs], Is.EqualTo(2000));
        }
    }

    [Test]
    public void ChunkPool_RecomputesTheConfiguredFraction()
    {
        var o = new WorkloadOptions
        {
            Batch = 4,
            Requests = 16,
            InputLen = 600,
            OutputLen = 4,
            Prefix = new PrefixOptions { ChunksPerPrompt = 2, ChunkTokens = 256, ChunkPool = 3, ChunkZipf = 0, RecomputeFraction = 0.25 },
        };
        var pc = Sim.Run(Mixtral, o).Result.PrefixCache!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pc.Hits, Is.GreaterThan(0));
            // Each hit skips 192 of its 256 tokens and recomputes 64.
            Assert.That(pc.SkippedPrefillTokens, Is.EqualTo(pc.Hits * 192));
            Assert.That(pc.RecomputedTokens, Is.EqualTo(pc.Hits * 64));
        }
    }
}
