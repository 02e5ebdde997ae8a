using CoDesign.Cli;
using CoDesign.Runtime.Tensors.Safetensors;

namespace CoDesign.Runtime.Tensors.Tests.Cli;

/// <summary>The tensor verbs through the CLI entry point, as a user would call them.</summary>
public class CliTests
{
    string _dir = null!;

    [SetUp] public void MakeDir() => _dir = Directory.CreateTempSubdirectory("codesign-cli-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CodesignApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    string Model(string preset = "tiny-dense")
    {
        var dir = Path.Combine(_dir, preset);
        var r = Run("make-model", "--preset", preset, "--out", dir, "--seed", "1");
        Assert.That(r.Code, Is.Zero, r.Err);
        return dir;
    }

    string Prompts(string text)
    {
        var p = Path.Combine(_dir, "prompts.txt");
        File.WriteAllText(p, text);
        return p;
    }

    [Test]
    public void MakeModelThenRunPrintsTokensPerRequestAndStages()
    {
        var dir = Model();
        var r = Run("run", "--model", dir, "--backend", "cpu", "--prompts", Prompts("1 2 3\n# skipped\n4, 5, 6, 7\n"), "--max-new-tokens", "3", "--format", "json");
        Assert.That(r.Code, Is.Zero, r.Err);
        Assert.That(r.Out, Does.Contain("\"generated\"").And.Contain("\"stages\"").And.Contain("\"wall_seconds\""));
        var doc = System.Text.Json.JsonDocument.Parse(r.Out).RootElement;
        Assert.That(doc.GetProperty("requests").GetArrayLength(), Is.EqualTo(2));
        Assert.That(doc.GetProperty("requests")[1].GetProperty("generated").GetArrayLength(), Is.EqualTo(3));
        Assert.That(doc.GetProperty("kv_bytes_at_end").GetInt64(), Is.Zero);
        // The random preset built in memory from the same seed generates the same tokens as its written directory.
        var mem = Run("run", "--model", "tiny-dense", "--seed", "1", "--prompts", Prompts("1 2 3\n4, 5, 6, 7\n"), "--max-new-tokens", "3", "--format", "csv");
        var disk = Run("run", "--model", dir, "--prompts", Prompts("1 2 3\n4, 5, 6, 7\n"), "--max-new-tokens", "3", "--format", "csv");
        Assert.That(mem.Out, Is.EqualTo(disk.Out));
    }

    [Test]
    public void ValidatePassesForCpu()
    {
        var r = Run("validate", "--model", Model("tiny-moe"), "--backend", "cpu", "--max-new-tokens", "2");
        Assert.That(r.Code, Is.Zero, r.Out + r.Err);
        Assert.That(r.Out, Does.Contain("expert").And.Contain("greedy tokens match; PASS"));
    }

    [Test]
    public void CorruptSafetensorsExitsTwoWithAClearMessage()
    {
        var dir = Model();
        var file = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);   // truncated download
        var r = Run("run", "--model", dir, "--max-new-tokens", "1");
        Assert.That(r.Code, Is.EqualTo(2));
        Assert.That(r.Err, Does.StartWith("codesign: error: ").And.Contain("model.safetensors").And.Contain("truncated or corrupt"));
        Assert.That(r.Err.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void MismatchedConfigExitsTwoNamingTheTensor()
    {
        var dir = Model();
        var cfg = Path.Combine(dir, "config.json");
        File.WriteAllText(cfg, File.ReadAllText(cfg).Replace("\"vocab_size\": 1024", "\"vocab_size\": 2048"));
        var r = Run("validate", "--model", dir, "--backend", "cpu");
        Assert.That(r.Code, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("tensor 'model.embed_tokens.weight' has shape [1024, 256] but config.json implies [2048, 256]"));
    }

    [TestCase("run", "--model", "mixtral-8x7b", "model 'mixtral-8x7b' is a preset without weights")]
    [TestCase("run", "--backend", "tpu", "unknown backend 'tpu'")]
    [TestCase("make-model", "--preset", "huge", "'huge' is not one of tiny-moe, tiny-dense")]
    [TestCase("run", "--placement", "fastest", "--placement: 'fastest' is not one of min-time, paper")]
    public void BadInputExitsTwo(string verb, string option, string value, string message)
    {
        string[] args = verb == "make-model" ? [verb, option, value, "--out", _dir] : option == "--model" ? [verb, option, value] : [verb, "--model", "tiny-dense", option, value];
        var r = Run(args);
        Assert.That(r.Code, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(message));
    }

    [Test]
    public void RunPlacementOption_ChoosesWhereTheProjectionsRun()
    {
        string[] OnPim(string placement)
        {
            var r = Run("run", "--model", "tiny-moe", "--placement", placement, "--co-processing", "none", "--max-new-tokens", "2", "--format", "json");
            Assert.That(r.Code, Is.Zero, r.Err);
            var doc = System.Text.Json.JsonDocument.Parse(r.Out).RootElement;
            Assert.That(doc.GetProperty("plan").GetString(), Does.Contain($"placement {placement}"));
            return doc.GetProperty("stages").EnumerateArray().SelectMany(s => s.GetProperty("on_pim").EnumerateArray().Select(x => x.GetString()!)).Distinct().ToArray();
        }
        // Min-time (the default, as for compile/analyze): a tiny model's projections are below the crossover, on PIM.
        Assert.That(OnPim("min-time"), Does.Contain("qkv_projection").And.Contain("lm_head").And.Contain("attention.decode"));
        // Paper: only decode attention and decode-only-stage experts on PIM.
        Assert.That(OnPim("paper"), Is.EquivalentTo(new[] { "attention.decode", "experts" }));
    }

    [Test]
    public void MakeModelWritesNormTopkProbAndRunValidatesIt()
    {
        var dir = Path.Combine(_dir, "qwen-routing");
        var made = Run("make-model", "--preset", "tiny-moe", "--out", dir, "--norm-topk-prob", "false");
        Assert.That(made.Code, Is.Zero, made.Err);
        Assert.That(File.ReadAllText(Path.Combine(dir, "config.json")), Does.Contain("\"norm_topk_prob\": false"));
        var v = Run("validate", "--model", dir, "--backend", "cpu", "--max-new-tokens", "2");
        Assert.That(v.Code, Is.Zero, v.Out + v.Err);
        var bad = Run("make-model", "--preset", "tiny-moe", "--out", dir, "--norm-topk-prob", "maybe");
        Assert.That((bad.Code, bad.Err.Trim()), Is.EqualTo((2, "codesign: error: --norm-topk-prob: 'maybe' is not one of true, false")));
        Assert.That(Run("make-model", "--preset", "tiny-dense", "--out", dir, "--norm-topk-prob", "false").Code, Is.EqualTo(2));
    }

    [Test]
    public void BadPromptsFileExitsTwoWithTheLine()
    {
        var r = Run("run", "--model", "tiny-dense", "--prompts", Prompts("1 2\n3 x 4\n"));
        Assert.That(r.Code, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("prompts.txt:2: 'x' is not a token id"));
        r = Run("run", "--model", "tiny-dense", "--prompts", Prompts("1 5000\n"));
        Assert.That(r.Err, Does.Contain("token id 5000 is outside the vocabulary [0, 1024)"));
    }

    [Test]
    public void MakeModelWritesBf16WhenAsked()
    {
        var dir = Path.Combine(_dir, "bf");
        Assert.That(Run("make-model", "--preset", "tiny-dense", "--out", dir, "--dtype", "bf16").Code, Is.Zero);
        var t = SafetensorsReader.Read(Path.Combine(dir, "model.safetensors"));
        Assert.That(t.Select(x => x.Storage).Distinct(), Is.EqualTo(new[] { TensorDType.BF16 }));
        Assert.That(File.ReadAllText(Path.Combine(dir, "config.json")), Does.Contain("\"torch_dtype\": \"bfloat16\""));
    }
}

/// <summary>The rtl backend through the CLI: PIM-placed operators on the Verilated Logic-PIM, the rest on cpu.</summary>
[Category("Verilator")]
public class RtlCliTests
{
    [Test]
    public void RunOnRtlReportsSimulatedPimWork()
    {
        Assume.That(CoDesign.Rtl.Build.ToolLocator.Find("verilator"), Is.Not.Null, "verilator is not installed (tools/setup.sh)");
        var o = new StringWriter(); var e = new StringWriter();
        var prompts = Path.GetTempFileName();
        try
        {
            File.WriteAllText(prompts, "3 1 4 1 5\n");
            int code = CodesignApp.Run(["run", "--model", "tiny-moe", "--backend", "rtl", "--prompts", prompts, "--max-new-tokens", "2"], o, e);
            Assert.That(code, Is.Zero, e.ToString());
            Assert.That(o.ToString(), Does.Contain("PIM backend rtl").And.Contain("PIM programs simulated"));
        }
        finally { File.Delete(prompts); }
    }
}
