using CoDesign.Cli;

namespace CoDesign.Runtime.Tests.Serving;

public class SimulateCliTests
{
    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CodesignApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Test]
    public void Json_HasTheDocumentedFields()
    {
        var (code, stdout, _) = Run("simulate", "--model", "mixtral-8x7b", "--hardware", "duplex", "--devices", "4", "--batch", "8",
            "--requests", "16", "--input-len", "128", "--output-len", "16", "--format", "json");
        Assert.That(code, Is.EqualTo(0));
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        foreach (var key in new[] { "throughput_tokens_per_s", "requests_completed", "stages", "decode_only_stage_fraction", "effective_batch",
                     "kv_capacity_tokens", "ttft_s", "tbt_s", "e2e_s", "energy_j_per_token", "energy_breakdown_j_per_token", "time_breakdown_s" })
            Assert.That(root.TryGetProperty(key, out _), Is.True, key);
        foreach (var key in new[] { "p50", "p90", "p99", "mean" }) Assert.That(root.GetProperty("tbt_s").TryGetProperty(key, out _), Is.True);
        foreach (var key in new[] { "fc_dram", "fc_compute", "attention_dram", "attention_compute", "moe_dram", "moe_compute", "communication" })
            Assert.That(root.GetProperty("energy_breakdown_j_per_token").TryGetProperty(key, out _), Is.True, key);
    }

    [Test]
    public void StagesCsvAndTrace_AreWritten()
    {
        var dir = Directory.CreateTempSubdirectory("codesign-sim").FullName;
        var (code, _, _) = Run("simulate", "--model", "mixtral-8x7b", "--devices", "4", "--batch", "4", "--requests", "4", "--input-len", "64",
            "--output-len", "8", "--stages-csv", Path.Combine(dir, "s.csv"), "--trace", Path.Combine(dir, "t.json"));
        Assert.That(code, Is.EqualTo(0));
        var lines = File.ReadAllLines(Path.Combine(dir, "s.csv"));
        Assert.That(lines[0], Does.StartWith("index,kind,start_s,time_s,tokens,batch"));
        Assert.That(lines, Has.Length.EqualTo(1 + 8));   // 1 prefill stage + 7 decode stages
        using var trace = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "t.json")));
        Assert.That(trace.RootElement.GetProperty("traceEvents").GetArrayLength(), Is.GreaterThan(100));
    }

    [TestCase("--batch", "0", "--batch")]
    [TestCase("--qps", "-1", "--qps")]
    [TestCase("--scheduler", "fifo", "--scheduler")]
    [TestCase("--routing", "zipf:x", "--routing")]
    [TestCase("--length-std", "-0.5", "--length-std")]
    [TestCase("--devices", "9", "cannot be split")]
    [TestCase("--workload", "/nonexistent/trace.csv", "trace")]
    [TestCase("--co-processing", "sometimes", "--co-processing")]
    public void BadFlags_ExitTwo_WithOneLineNamingTheProblem(string flag, string value, string mention)
    {
        string[] devices = flag == "--devices" ? [] : ["--devices", "4"];
        var (code, stdout, stderr) = Run(["simulate", "--model", "mixtral-8x7b", .. devices, "--requests", "4", flag, value]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain(mention));
    }

    [Test]
    public void ModelThatDoesNotFit_ExitsTwo()
    {
        var (code, _, stderr) = Run("simulate", "--model", "grok-1", "--hardware", "h100", "--devices", "1");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("does not fit"));
    }

    [Test]
    public void MalformedWorkloadTrace_ExitsTwo_NamingTheLine()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "arrival_s,input_len,output_len\n0,128,16\n0.5,abc,16\n");
        var (code, _, stderr) = Run("simulate", "--model", "mixtral-8x7b", "--devices", "4", "--workload", path);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("line 3"));
    }

    [Test]
    public void WorkloadTrace_ServesEveryRequestOfTheTrace()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "arrival_s,input_len,output_len\n0,128,16\n0.01,64,8\n0.02,256,4\n");
        var (code, stdout, _) = Run("simulate", "--model", "mixtral-8x7b", "--devices", "4", "--workload", path, "--qps", "1", "--format", "json");
        Assert.That(code, Is.EqualTo(0));
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("requests_completed").GetInt32(), Is.EqualTo(3));
        Assert.That(doc.RootElement.GetProperty("output_tokens").GetInt64(), Is.EqualTo(28));
    }
}
