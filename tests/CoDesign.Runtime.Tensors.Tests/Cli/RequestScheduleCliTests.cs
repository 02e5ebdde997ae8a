using System.Text.Json;
using CoDesign.Cli;

namespace CoDesign.Runtime.Tensors.Tests.Cli;

/// <summary><c>run --requests FILE</c> and <c>--max-new-tokens-std</c>: requests that arrive and finish at different stages.</summary>
public class RequestScheduleCliTests
{
    string _dir = null!;

    [SetUp] public void MakeDir() => _dir = Directory.CreateTempSubdirectory("codesign-sched-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CodesignApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    string File(string text)
    {
        var p = Path.Combine(_dir, "requests.csv");
        System.IO.File.WriteAllText(p, text);
        return p;
    }

    [Test]
    public void A_schedule_runs_with_a_mixed_stage()
    {
        var path = File("arrival_stage,max_new_tokens,prompt\n0,5,5 17 42 9\n# a late one\n2,2,1 2 3\n");
        var r = Run("run", "--model", "tiny-moe", "--requests", path, "--placement", "paper", "--format", "json");
        Assert.That(r.Code, Is.Zero, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var requests = doc.RootElement.GetProperty("requests");
        Assert.That(requests[1].GetProperty("admitted_at_stage").GetInt32(), Is.EqualTo(2));
        Assert.That(requests[0].GetProperty("generated").GetArrayLength(), Is.EqualTo(5));
        Assert.That(requests[1].GetProperty("generated").GetArrayLength(), Is.EqualTo(2));
        var stage2 = doc.RootElement.GetProperty("stages")[2];
        Assert.That(stage2.GetProperty("kind").GetString(), Is.EqualTo("mixed"));
        Assert.That(stage2.TryGetProperty("overlap_seconds", out _), Is.True, "both sides' overlap is reported");
    }

    [Test]
    public void Lengths_vary_with_a_standard_deviation()
    {
        var r = Run("run", "--model", "tiny-dense", "--max-new-tokens", "4", "--max-new-tokens-std", "2", "--format", "json");
        Assert.That(r.Code, Is.Zero, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var lengths = doc.RootElement.GetProperty("requests").EnumerateArray().Select(q => q.GetProperty("generated").GetArrayLength()).ToList();
        Assert.That(lengths.Distinct().Count(), Is.GreaterThan(1), string.Join(' ', lengths));
        Assert.That(lengths.All(n => n >= 1), Is.True);
        var again = Run("run", "--model", "tiny-dense", "--max-new-tokens", "4", "--max-new-tokens-std", "2", "--format", "json");
        Assert.That(Strip(again.Out), Is.EqualTo(Strip(r.Out)), "the same --seed gives the same lengths and tokens");
    }

    /// <summary>Wall-clock fields differ run to run; the tokens may not.</summary>
    static string Strip(string json) => string.Join(';', JsonDocument.Parse(json).RootElement.GetProperty("requests").EnumerateArray()
        .Select(q => string.Join(',', q.GetProperty("generated").EnumerateArray().Select(t => t.GetInt32()))));

    [TestCase("arrival,max_new_tokens,prompt\n0,2,1 2\n", "header")]
    [TestCase("arrival_stage,max_new_tokens,prompt\n0,2\n", "2 fields")]
    [TestCase("arrival_stage,max_new_tokens,prompt\n-1,2,1 2\n", "arrival_stage")]
    [TestCase("arrival_stage,max_new_tokens,prompt\n0,0,1 2\n", "max_new_tokens")]
    [TestCase("arrival_stage,max_new_tokens,prompt\n0,2,\n", "empty prompt")]
    [TestCase("arrival_stage,max_new_tokens,prompt\n", "no requests")]
    public void A_bad_schedule_is_one_line_and_exit_2(string text, string names)
    {
        var r = Run("run", "--model", "tiny-dense", "--requests", File(text));
        Assert.That(r.Code, Is.EqualTo(2), r.Out + r.Err);
        Assert.That(r.Err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(r.Err, Does.Contain(names));
    }

    [Test]
    public void A_schedule_carries_the_prompts_and_lengths()
    {
        var path = File("arrival_stage,max_new_tokens,prompt\n0,2,1 2\n");
        Assert.That(Run("run", "--model", "tiny-dense", "--requests", path, "--max-new-tokens", "3").Code, Is.EqualTo(2));
        Assert.That(Run("run", "--model", "tiny-dense", "--requests", path, "--prompts", path).Code, Is.EqualTo(2));
        Assert.That(Run("run", "--model", "tiny-dense", "--max-new-tokens-std", "-1").Code, Is.EqualTo(2));
    }
}
