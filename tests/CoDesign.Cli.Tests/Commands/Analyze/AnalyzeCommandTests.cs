using System.Globalization;
using System.Text.Json;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Cli.Tests.Commands.Analyze;

public class AnalyzeCommandTests
{
    // The ideal Duplex (peaks only, no DRAM timing model) so the published crossover 32 can be asserted exactly.
    static readonly string[] Mixtral = ["analyze", "--model", "mixtral-8x7b", "--hardware", "duplex-ideal", "--decode", "64", "--context", "1024", "--devices", "4"];

    static string[] With(params string[] extra) => [.. Mixtral, .. extra];

    /// <summary>Parses RFC 4180 lines without embedded newlines (our reasons have none).</summary>
    static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var cur = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cur.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(c);
        }
        fields.Add(cur.ToString());
        return fields;
    }

    [Test]
    public void Table_ShowsEveryOperatorAndTheSummary()
    {
        var r = Cli.Run(Mixtral);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.Err, Is.Empty);
            Assert.That(r.Out, Does.Contain("mixtral-8x7b on 4 x duplex-ideal").And.Contain("decode-only"));
            foreach (var op in new[] { "qkv_projection", "attention.score.decode", "experts", "router", "lm_head", "all_reduce.attention" })
                Assert.That(r.Out, Does.Contain(op));
            Assert.That(r.Out, Does.Contain("time by processor").And.Contain("time by kind"));
            Assert.That(r.Out, Does.Contain("crossover 32"));
        }
    }

    [Test]
    public void Csv_HasTheRequiredColumnsAndOneRowPerOperator()
    {
        var r = Cli.Run(With("--format", "csv"));
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var header = CsvFields(lines[0]);
        Assert.That(header, Is.SupersetOf(new[] { "layer", "op", "flops", "bytes", "op_b", "bound", "processor", "time_s", "reason" }));
        var rows = lines.Skip(1).Select(CsvFields).ToList();
        int col(string name) => header.IndexOf(name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Count.GreaterThan(10));
            Assert.That(rows.Select(f => f.Count), Has.All.EqualTo(header.Count), "every row has every column");
            // GQA decode attention of Mixtral: Op/B ≈ 32 heads / 8 KV heads = 4; SI numbers in invariant culture.
            var score = rows.Single(f => f[col("op")] == "attention.score.decode");
            Assert.That(double.Parse(score[col("op_b")], CultureInfo.InvariantCulture), Is.EqualTo(4.0).Within(1).Percent);
            Assert.That(score[col("processor")], Is.EqualTo("logic_pim"));
            Assert.That(double.Parse(score[col("time_s")], CultureInfo.InvariantCulture), Is.Positive.And.LessThan(1));
            Assert.That(score[col("layer")], Is.EqualTo("0-31"));
            // Collectives have no Op/B and run on the link.
            var ar = rows.First(f => f[col("op")].StartsWith("all_reduce", StringComparison.Ordinal));
            Assert.That(ar[col("processor")], Is.EqualTo("link"));
            Assert.That(ar[col("bound")], Is.EqualTo("link"));
        }
    }

    [Test]
    public void Json_ParsesWithSnakeCaseKeys()
    {
        var r = Cli.Run(With("--format", "json"));
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        var keys = root.EnumerateObject().Select(p => p.Name).ToList();
        var ops = root.GetProperty("ops").EnumerateArray().ToList();
        var opKeys = ops[0].EnumerateObject().Select(p => p.Name).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys.Concat(opKeys), Has.All.Match("^[a-z][a-z0-9_]*$"), "snake_case keys");
            Assert.That(keys, Is.SupersetOf(new[] { "model", "hardware", "devices", "stage_kind", "crossover_op_b", "stage_time_s", "time_by_processor_s", "ops" }));
            Assert.That(opKeys, Is.SupersetOf(new[] { "layers", "op", "flops", "bytes", "op_b", "bound", "processor", "time_s", "reason" }));
            Assert.That(root.GetProperty("devices").GetInt32(), Is.EqualTo(4));
            Assert.That(root.GetProperty("crossover_op_b").GetDouble(), Is.EqualTo(32).Within(1e-9).Percent);
            var experts = ops.Single(o => o.GetProperty("op").GetString() == "experts");
            // Uniform top-2 of 64 tokens over 8 experts: 16 tokens per expert, so Op/B ≈ 16.
            Assert.That(experts.GetProperty("op_b").GetDouble(), Is.EqualTo(16).Within(1).Percent);
            var ar = ops.First(o => o.GetProperty("op").GetString()!.StartsWith("all_reduce", StringComparison.Ordinal));
            Assert.That(ar.GetProperty("op_b").ValueKind, Is.EqualTo(JsonValueKind.Null), "no Op/B for a collective");
        }
    }

    [Test]
    public void ExpertTokens_AreUsedForTheExpertRow()
    {
        var r = Cli.Run(With("--format", "json", "--expert-tokens", "5,0"));
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        var experts = doc.RootElement.GetProperty("ops").EnumerateArray().Single(o => o.GetProperty("op").GetString() == "experts");
        Assert.That(experts.GetProperty("op_b").GetDouble(), Is.EqualTo(5).Within(1).Percent);
    }

    [Test]
    public void Prefill_MakesAMixedStage()
    {
        var r = Cli.Run(With("--prefill", "1x2048", "--format", "json"));
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc.RootElement.GetProperty("stage_kind").GetString(), Is.EqualTo("mixed"));
            Assert.That(doc.RootElement.GetProperty("tokens").GetDouble(), Is.EqualTo(64 + 2048));
        }
    }

    [Test]
    public void HardwareFile_WorksWhereAPresetNameDoes()
    {
        using var dir = Cli.TempDir();
        // A Duplex whose Logic-PIM has half the compute: crossover 4 x 4 = 16 instead of 32.
        var hw = HardwarePresets.Duplex();
        hw.Name = "half-pim";
        hw.IdealEfficiency = true;   // peaks only, so the crossover is exactly 16
        var pim = hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);
        pim.Peak[0].FlopsPerS = 4 * pim.MemoryBandwidthBytesPerS;
        var path = dir.File("half-pim.json");
        File.WriteAllText(path, HardwareFile.ToJson(hw));

        var r = Cli.Run("analyze", "--model", "mixtral-8x7b", "--hardware", path, "--decode", "64", "--devices", "4", "--format", "json");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        var ops = doc.RootElement.GetProperty("ops").EnumerateArray().ToList();
        var experts = ops.Single(o => o.GetProperty("op").GetString() == "experts");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc.RootElement.GetProperty("hardware").GetString(), Is.EqualTo("half-pim"));
            Assert.That(doc.RootElement.GetProperty("crossover_op_b").GetDouble(), Is.EqualTo(16).Within(1e-9).Percent);
            // 16 tokens per expert: Op/B just under 16 < 16, so the PIM still wins, by a smaller margin.
            Assert.That(experts.GetProperty("processor").GetString(), Is.EqualTo("logic_pim"));
        }
    }

    [Test]
    public void HardwareFileWithoutInterconnect_RunsOneDeviceAndRejectsFour()
    {
        using var dir = Cli.TempDir();
        var hw = HardwarePresets.H100();
        hw.Name = "lonely-gpu";
        hw.Interconnect = null;
        var path = dir.File("lonely.json");
        File.WriteAllText(path, HardwareFile.ToJson(hw));
        var one = Cli.Run("analyze", "--model", "tiny-moe", "--hardware", path, "--decode", "8", "--format", "csv");
        var four = Cli.Run("analyze", "--model", "tiny-moe", "--hardware", path, "--decode", "8", "--devices", "4");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(one.ExitCode, Is.Zero, one.ToString());
            Assert.That(four.ExitCode, Is.EqualTo(2), four.ToString());
            Assert.That(four.ErrLines, Has.Length.EqualTo(1));
            Assert.That(four.Err, Does.Contain("intraNode").And.Contain("lonely-gpu"));
        }
    }

    [Test]
    public void ModelConfigPath_WorksWhereAPresetNameDoes()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("small.json");
        File.WriteAllText(path, """
            { "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 1024, "intermediate_size": 2816,
              "num_attention_heads": 16, "num_key_value_heads": 4, "num_hidden_layers": 4, "vocab_size": 32000 }
            """);
        var r = Cli.Run("analyze", "--model", path, "--decode", "8", "--format", "json");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        var score = doc.RootElement.GetProperty("ops").EnumerateArray().Single(o => o.GetProperty("op").GetString() == "attention.score.decode");
        Assert.That(score.GetProperty("op_b").GetDouble(), Is.EqualTo(16.0 / 4).Within(1).Percent);
    }

    // Each bad input: exit 2 and one line on stderr that names the problem; nothing on stdout.
    [TestCase("--model", "mixtral-9x9b", "mixtral-9x9b")]
    [TestCase("--hardware", "tpu-v9", "tpu-v9")]
    [TestCase("--prefill", "2y512", "--prefill: '2y512'")]
    [TestCase("--prefill", "0x512", "--prefill: '0x512'")]
    [TestCase("--devices", "0", "--devices")]
    [TestCase("--decode", "-3", "--decode")]
    [TestCase("--context", "0", "--context")]
    [TestCase("--devices", "1", "does not fit")]
    [TestCase("--format", "xml", "--format: 'xml'")]
    [TestCase("--bogus", "1", "--bogus")]
    [TestCase("--decode", "many", "--decode")]
    [TestCase("--expert-tokens", "1,2,3", "--expert-tokens")]
    [TestCase("--expert-tokens", "1,-2", "--expert-tokens: '-2'")]
    [TestCase("--placement", "fastest", "--placement: 'fastest'")]
    [TestCase("--weight-type", "fp7", "--weight-type")]
    [TestCase("--moe-parallelism", "dp", "--moe-parallelism")]
    [TestCase("--devices", "12", "12 devices")]
    public void BadInput_ExitsTwoWithOneLineNamingTheProblem(string option, string value, string mention)
    {
        var args = Mixtral.ToList();
        int i = args.IndexOf(option);
        if (i >= 0) args[i + 1] = value; else args.AddRange([option, value]);
        var r = Cli.Run([.. args]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1), r.ToString());
            Assert.That(r.Err, Does.StartWith("codesign: error: ").And.Contain(mention));
            Assert.That(r.Out, Is.Empty);
        }
    }

    [Test]
    public void MalformedHardwareJson_ExitsTwoNamingTheFile()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("broken-hw.json");
        File.WriteAllText(path, "{ \"name\": \"x\", \"processors\": [ { \"name\": ");
        var r = Cli.Run("analyze", "--model", "mixtral-8x7b", "--hardware", path, "--decode", "8", "--devices", "4");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("broken-hw.json").And.Contain("not valid hardware JSON"));
        }
    }

    [Test]
    public void InvalidHardwareFile_ExitsTwoNamingTheField()
    {
        using var dir = Cli.TempDir();
        var hw = HardwarePresets.Duplex();
        hw.Processors[1].MemoryBandwidthBytesPerS = -1;
        var path = dir.File("negative-bw.json");
        File.WriteAllText(path, HardwareFile.ToJson(hw));
        var r = Cli.Run("analyze", "--model", "mixtral-8x7b", "--hardware", path, "--decode", "8", "--devices", "4");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("memoryBandwidthBytesPerS"));
        }
    }

    [Test]
    public void EmptyStage_ExitsTwo()
    {
        var r = Cli.Run("analyze", "--model", "mixtral-8x7b", "--devices", "4");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Err, Does.Contain("--decode").And.Contain("--prefill"));
        }
    }

    [Test]
    public void BrokenModelConfig_ExitsTwoNamingTheField()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("config.json");
        File.WriteAllText(path, """{ "hidden_size": 1024, "num_hidden_layers": 2, "num_attention_heads": 16, "num_key_value_heads": 5, "vocab_size": 100, "intermediate_size": 64 }""");
        var r = Cli.Run("analyze", "--model", path, "--decode", "8");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("num_key_value_heads"));
        }
    }
}
