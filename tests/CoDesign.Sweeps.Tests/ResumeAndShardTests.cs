using System.Diagnostics;
using CoDesign.Sweeps.Run;

namespace CoDesign.Sweeps.Tests;

public class ResumeAndShardTests
{
    /// <summary>Enough points (about 80 ms each on the 2-core container), run one at a time, that a kill lands in the middle.</summary>
    const string LongSweep = """
        {
          "name": "long",
          "fixed": { "model": "mixtral-8x7b", "devices": 4, "batch": 32, "requests": 64, "input_len": 512, "output_len": 256, "length_std": 0.1 },
          "axes": { "hardware": ["h100", "duplex"], "seed": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
          "baseline": { "hardware": "h100" }
        }
        """;

    [Test]
    public void A_sweep_killed_mid_run_resumes_without_losing_or_repeating_a_point()
    {
        var dir = TestSupport.TempDir();
        var spec = TestSupport.Write(dir, "long.json", LongSweep);
        var reference = Path.Combine(dir, "reference.jsonl");
        var (code, _, err) = TestSupport.Cli("sweep", spec, "--out", reference, "--format", "json");
        Assert.That(code, Is.EqualTo(0), err);
        int total = TestSupport.CountLines(reference);
        Assert.That(total, Is.EqualTo(24));

        var results = Path.Combine(dir, "killed.jsonl");
        using (var p = TestSupport.Start(dir, "sweep", spec, "--out", results, "--jobs", "1", "--format", "json"))
        {
            var clock = Stopwatch.StartNew();
            while (TestSupport.CountLines(results) < 3 && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            p.Kill(entireProcessTree: true);   // SIGKILL: no handler runs
            p.WaitForExit();
        }
        int survived = TestSupport.CountLines(results);
        Assert.That(survived, Is.InRange(3, total - 1), "the kill must land mid-sweep");
        var partial = ResultsFile.Load(results);
        Assert.That(partial.Rows.Select(r => r.Id).Distinct().Count(), Is.EqualTo(partial.Rows.Count), "no duplicate after a kill");
        // A kill can also land inside a write: leave a torn line as it would.
        File.AppendAllText(results, "{\"id\":\"torn");

        (code, _, err) = TestSupport.Cli("sweep", spec, "--out", results, "--format", "json");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(err, Does.Contain($"{partial.Rows.Count} already done"));
        Assert.That(File.ReadAllBytes(results), Is.EqualTo(File.ReadAllBytes(reference)), "resumed file equals an uninterrupted run");
    }

    [Test]
    public void A_terminated_sweep_cancels_cleanly_with_exit_130_and_resumes()
    {
        var dir = TestSupport.TempDir();
        var spec = TestSupport.Write(dir, "long.json", LongSweep);
        var reference = Path.Combine(dir, "reference.jsonl");
        Assert.That(TestSupport.Cli("sweep", spec, "--out", reference, "--format", "csv").Code, Is.EqualTo(0));

        var results = Path.Combine(dir, "terminated.jsonl");
        int exit;
        using (var p = TestSupport.Start(dir, "sweep", spec, "--out", results, "--jobs", "1", "--format", "csv"))
        {
            var clock = Stopwatch.StartNew();
            while (TestSupport.CountLines(results) < 2 && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            // SIGTERM (as a scheduler or Ctrl-C would send a signal): the sweep stops at a point boundary.
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.That(p.WaitForExit(30_000), Is.True);
            exit = p.ExitCode;
        }
        Assert.That(exit, Is.EqualTo(130), "cancelled, not crashed");
        int written = TestSupport.CountLines(results);
        Assert.That(written, Is.InRange(2, 23));
        Assert.That(ResultsFile.Load(results).TruncatedTail, Is.False, "a cancelled sweep leaves only whole lines");

        var (code, _, err) = TestSupport.Cli("sweep", spec, "--out", results, "--format", "csv");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(File.ReadAllBytes(results), Is.EqualTo(File.ReadAllBytes(reference)));
    }

    [Test]
    public void A_second_sweep_on_a_results_file_in_use_stops_with_exit_2()
    {
        var dir = TestSupport.TempDir();
        var spec = TestSupport.Write(dir, "small.json", TestSupport.SmallSweep);
        var results = Path.Combine(dir, "r.jsonl");
        using (new ResultsLock(results))   // as a running sweep holds it
        {
            var (code, _, err) = TestSupport.Cli("sweep", spec, "--out", results);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(err, Does.Contain("another sweep is writing"));
        }
        Assert.That(File.Exists(results + ".lock"), Is.False, "the lock file goes with its holder");
        Assert.That(TestSupport.Cli("sweep", spec, "--out", results, "--format", "csv").Code, Is.EqualTo(0), "free again");
        Assert.That(File.Exists(results + ".lock"), Is.False);
    }

    [Test]
    public void Shards_merged_equal_the_unsharded_run()
    {
        var dir = TestSupport.TempDir();
        var spec = TestSupport.Write(dir, "small.json", TestSupport.SmallSweep);
        var whole = Path.Combine(dir, "whole.jsonl");
        Assert.That(TestSupport.Cli("sweep", spec, "--out", whole, "--format", "csv").Code, Is.EqualTo(0));
        var shards = new List<string>();
        foreach (var i in new[] { 3, 1, 2 })   // any order, as array jobs finish
        {
            var s = Path.Combine(dir, $"shard{i}.jsonl");
            var (code, _, err) = TestSupport.Cli("sweep", spec, "--shard", $"{i}/3", "--out", s, "--format", "csv");
            Assert.That(code, Is.EqualTo(0), err);
            shards.Add(s);
        }
        Assert.That(shards.Sum(TestSupport.CountLines), Is.EqualTo(TestSupport.CountLines(whole)));
        var merged = Path.Combine(dir, "merged.jsonl");
        // A shard given twice (a rerun) must not duplicate points.
        Assert.That(TestSupport.Cli(["sweep", "merge", merged, .. shards, shards[0]]).Code, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(merged), Is.EqualTo(File.ReadAllBytes(whole)));
    }

    [Test]
    public void Identical_seeds_give_identical_results_and_the_seed_matters()
    {
        var dir = TestSupport.TempDir();
        var spec = TestSupport.Write(dir, "small.json", TestSupport.SmallSweep);
        var a = Path.Combine(dir, "a.jsonl");
        var b = Path.Combine(dir, "b.jsonl");
        Assert.That(TestSupport.Cli("sweep", spec, "--out", a, "--jobs", "2", "--format", "csv").Code, Is.EqualTo(0));
        Assert.That(TestSupport.Cli("sweep", spec, "--out", b, "--jobs", "1", "--format", "csv").Code, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)), "same seeds, any thread count: same bytes");

        var rows = ResultsFile.Load(a).Rows.Where(r => r.Ok).ToList();
        Assert.That(rows, Has.Count.EqualTo(8));
        // Lengths are drawn from Gaussians (length_std 0.25): seeds 1 and 2 of one configuration must differ.
        var bySeed = rows.GroupBy(r => $"{r.Choices["batch"]}/{r.Choices["hardware"]}").ToList();
        Assert.That(bySeed.Any(g => g.Select(r => r.Result!.SimulatedTimeS).Distinct().Count() > 1), Is.True, "the seed reaches the simulator");
    }

    [Test]
    public void A_hardware_file_is_a_hardware_value_and_its_hash_is_the_provenance()
    {
        var dir = TestSupport.TempDir();
        var hw = Schema.Hardware.HardwarePresets.Duplex();
        hw.Name = "my-duplex";
        hw.Processors[1].DramEnergyJPerBit = 1e-12;
        var file = TestSupport.Write(dir, "my-duplex.json", Schema.Hardware.HardwareFile.ToJson(hw));
        var results = Path.Combine(dir, "r.jsonl");
        var (code, _, err) = TestSupport.Cli("sweep", "--axis", "model=tiny-moe", "--axis", "batch=4", "--axis", "requests=8",
            "--axis", $"hardware=duplex,{file}", "--baseline", "hardware=duplex", "--out", results, "--format", "csv");
        Assert.That(code, Is.EqualTo(0), err);
        var mine = ResultsFile.Load(results).Rows.Single(r => r.Provenance.HardwareSource == file);
        Assert.That(mine.Provenance.Hardware, Is.EqualTo("my-duplex"));
        Assert.That(mine.Provenance.HardwareSha256, Is.EqualTo(Spec.Canonical.Sha256(Schema.Hardware.HardwareFile.ToJson(hw))));
        Assert.That(mine.Result!.EnergyJPerToken, Is.Not.EqualTo(ResultsFile.Load(results).Rows.Single(r => r.Id != mine.Id).Result!.EnergyJPerToken),
            "the file's numbers were used");
    }

    [Test]
    public void Rows_carry_provenance()
    {
        var dir = TestSupport.TempDir();
        var spec = TestSupport.Write(dir, "small.json", TestSupport.SmallSweep);
        var a = Path.Combine(dir, "a.jsonl");
        Assert.That(TestSupport.Cli("sweep", spec, "--out", a, "--format", "json").Code, Is.EqualTo(0));
        var rows = ResultsFile.Load(a).Rows;
        var duplex = rows.First(r => r.Choices["hardware"] == "duplex");
        Assert.That(duplex.Provenance.Model, Is.EqualTo("tiny-moe"));
        Assert.That(duplex.Provenance.HardwareSource, Is.EqualTo("duplex"));
        Assert.That(duplex.Provenance.HardwareSha256,
            Is.EqualTo(Spec.Canonical.Sha256(Schema.Hardware.HardwareFile.ToJson(Schema.Hardware.HardwarePresets.Duplex()))));
        Assert.That(duplex.Provenance.CodesignVersion, Is.EqualTo(Compiler.Emit.ProgramCompiler.Version));
        Assert.That(rows.Select(r => r.Provenance.Seed).Distinct().Order(), Is.EqualTo(new ulong[] { 1, 2 }));
    }
}
