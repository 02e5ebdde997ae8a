using CoDesign.Cli.Commands.Rtl;
using CoDesign.Rtl;
using CoDesign.Schema;

namespace CoDesign.Cli.Tests.Guards;

/// <summary>
/// Work is bounded up front (issue 16): a sweep or an RTL shape above its stated limit is one exit-2 line naming
/// --allow-long-run, and with the flag it runs (here: it starts and honours Ctrl-C, exit 130).
/// </summary>
public class WorkBoundTests
{
    static CliResult Run(CancellationToken ct, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CodesignApp.Run(args, stdout, stderr, ct);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    static string[] ManyPoints => ["sweep", "--axis", "model=tiny-moe", "--axis", "requests=2", "--axis", "input_len=8", "--axis", "output_len=4",
        "--axis", "seed=" + string.Join(',', Enumerable.Range(1, SweepLimitsMax + 1))];
    const int SweepLimitsMax = Sweeps.Spec.SweepLimits.MaxPointsWithoutConfirm;

    static string[] LongPoints => ["sweep", "--axis", "model=tiny-moe", "--axis", "requests=1000", "--axis", "batch=1", "--axis", "input_len=8",
        "--axis", "output_len=100000", "--axis", "hardware=duplex,h100"];

    [Test]
    public void SweepAboveThePointLimit_IsRefusedNamingTheFlag_AndRunsWhenConfirmed()
    {
        using var dir = Cli.TempDir();
        var results = dir.File("r.jsonl");
        var refused = Cli.Run([.. ManyPoints, "--out", results]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
            Assert.That(refused.ErrLines, Has.Length.EqualTo(1));
            Assert.That(refused.Err, Does.Contain($"{SweepLimitsMax + 1:#,0} points").And.Contain("--allow-long-run"));
            Assert.That(File.Exists(results), Is.False, "refused before any point ran");
        }
        Assert.That(Cli.Run([.. ManyPoints, "--list", "--format", "json"]).ExitCode, Is.Zero, "listing is not work");
        var confirmed = Run(new CancellationToken(canceled: true), [.. ManyPoints, "--out", results, "--allow-long-run"]);
        Assert.That(confirmed.ExitCode, Is.EqualTo(130), "confirmed: it starts running and stops at Ctrl-C\n" + confirmed);
    }

    [Test]
    public void SweepAboveTheStageLimit_IsRefusedNamingTheFlag_AndRunsWhenConfirmed()
    {
        using var dir = Cli.TempDir();
        var results = dir.File("r.jsonl");
        var refused = Cli.Run([.. LongPoints, "--out", results]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
            Assert.That(refused.Err, Does.Contain("serving stages").And.Contain("--allow-long-run"));
        }
        var confirmed = Run(new CancellationToken(canceled: true), [.. LongPoints, "--out", results, "--allow-long-run"]);
        Assert.That(confirmed.ExitCode, Is.EqualTo(130), confirmed.ToString());
    }

    [Test]
    public void SmallSweep_RunsWithoutTheFlag()
    {
        using var dir = Cli.TempDir();
        var r = Cli.Run("sweep", "--axis", "model=tiny-moe", "--axis", "requests=2", "--axis", "batch=1,2", "--axis", "input_len=8", "--axis", "output_len=4",
            "--out", dir.File("r.jsonl"), "--jobs", "1", "--format", "json");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
    }

    [TestCase("gemm", "--tokens", "4096", "--k", "4096", "--n", "4096")]
    [TestCase("softmax", "--config", "ci", "--rows", "65536", "--length", "1024")]
    public void RtlShapeAboveTheCycleLimit_IsRefusedNamingTheFlag(params string[] args)
    {
        var r = Cli.Run(["rtl", .. args]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("simulated cycles").And.Contain("--allow-long-run"));
        }
    }

    [TestCase("softmax", "--rows", "1000000", "--length", "1024")]
    [TestCase("attention", "--group", "100000")]   // the group cap bounds attention's work: at most ~2e7 cycles
    public void RtlShapeThatCannotBeAllocated_IsRefusedEvenWhenConfirmed(params string[] args)
    {
        var r = Cli.Run(["rtl", .. args, "--allow-long-run"]);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Err, Does.Not.Contain("--allow-long-run"));
    }

    [Test]
    public void RtlLimits_LetAConfirmedLongShapeThrough_AndTheDefaultsWithout()
    {
        var published = PimConfig.Get("published", 1);
        Assert.Throws<InputException>(() => RtlLimits.CheckGemm(published, 4096, 4096, 4096, allowLongRun: false));
        Assert.DoesNotThrow(() => RtlLimits.CheckGemm(published, 4096, 4096, 4096, allowLongRun: true));
        // The verbs' defaults stay well inside the limit: gemv 1x4096x512, softmax 1x1024, attention 4 heads x 1024.
        Assert.DoesNotThrow(() => RtlLimits.CheckGemm(published, 32, 4096, 512, allowLongRun: false));
        Assert.DoesNotThrow(() => RtlLimits.CheckSoftmax(published, 1, 1024, allowLongRun: false));
        Assert.DoesNotThrow(() => RtlLimits.CheckAttention(published, 1024, 4, allowLongRun: false));
        // The estimate is of the measured size: 8x4096x512 published ran 46,865 cycles (docs/benchmarks-rtl.md).
        Assert.That(RtlLimits.GemmCycles(published, 8, 4096, 512), Is.InRange(46_865 / 2.0, 46_865 * 2.0));
    }
}
