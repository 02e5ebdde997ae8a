using System.Text.Json;
using CoDesign.Cli.Progress;

namespace CoDesign.Cli.Tests.Commands.Conventions;

/// <summary>What every verb shares: --version, --format, progress lines in logs.</summary>
public class CliConventionsTests
{
    static IEnumerable<string[]> Verbs()
    {
        foreach (var verb in CodesignApp.BuildRoot(new CliContext(TextWriter.Null, TextWriter.Null)).Subcommands)
        {
            yield return [verb.Name];
            foreach (var sub in verb.Subcommands) yield return [verb.Name, sub.Name];
        }
    }

    [Test]
    public void EveryVerb_AnswersVersion()
    {
        var root = Cli.Run("--version");
        Assert.That(root.ExitCode, Is.Zero, root.ToString());
        using (Assert.EnterMultipleScope())
            foreach (var verb in Verbs())
            {
                var r = Cli.Run([.. verb, "--version"]);
                Assert.That((r.ExitCode, r.Out), Is.EqualTo((0, root.Out)), string.Join(' ', verb));
            }
    }

    [Test]
    public void ProgressLog_WritesOneLinePerStepWithCountAndEta()
    {
        var err = new StringWriter();
        var log = new ProgressLog(err, "work", 40, stepPercent: 25);
        for (int i = 0; i <= 40; i++) log.Report(i);
        var lines = err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Has.Length.EqualTo(5), "0, 25, 50, 75 and 100 %");
            Assert.That(lines[1], Does.StartWith("work: 10/40 (25 %)").And.Contain("ETA"));
            Assert.That(lines[^1], Does.StartWith("work: 40/40 (100 %)").And.Contain("done"));
        }
    }

    [Test]
    public void SweepWithoutATerminal_LogsProgress_AndReportHonoursFormat()
    {
        using var dir = Cli.TempDir();
        var results = dir.File("s.jsonl");
        var sweep = Cli.Run("sweep", "--axis", "model=tiny-dense", "--axis", "batch=1,2,3,4", "--axis", "requests=4",
            "--axis", "input_len=16", "--axis", "output_len=4", "--out", results, "--jobs", "1");
        Assert.That(sweep.ExitCode, Is.Zero, sweep.ToString());
        Assert.That(sweep.ErrLines.Where(l => l.Contains("/4 (") && l.Contains("elapsed")).ToList(), Has.Count.GreaterThanOrEqualTo(2), sweep.Err);

        var report = Cli.Run("report", results, "--out", dir.File("report"), "--format", "json");
        Assert.That(report.ExitCode, Is.Zero, report.ToString());
        using var doc = JsonDocument.Parse(report.Out);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc.RootElement.GetProperty("points").GetInt32(), Is.EqualTo(4));
            Assert.That(File.Exists(doc.RootElement.GetProperty("html").GetString()), Is.True);
        }
    }

    [Test]
    public void SimulateTrace_CoversEveryStageWithArgsAndCounters_AndStatesItsSize()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("t.json");
        var r = Cli.Run("simulate", "--model", "tiny-moe", "--hardware", "duplex", "--batch", "4", "--requests", "8",
            "--input-len", "32", "--output-len", "40", "--trace", path, "--trace-stages", "2", "--trace-every", "10");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        var stages = events.Where(e => e.TryGetProperty("cat", out var c) && c.GetString() == "stages").ToList();
        var counters = events.Where(e => e.GetProperty("ph").GetString() == "C").Select(e => e.GetProperty("name").GetString()).Distinct().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stages, Has.Count.GreaterThan(40), "every stage of 8 requests x 40 tokens at batch 4");
            Assert.That(stages[0].GetProperty("args").GetProperty("tokens").GetDouble(), Is.GreaterThan(0));
            Assert.That(counters, Is.EquivalentTo(new[] { "batch", "kv_used_tokens" }));
            Assert.That(r.Err, Does.Contain($"trace: all {stages.Count} stages").And.Contain("KiB -> "));
        }
    }
}
