using System.Text;
using RequestSchedule = CoDesign.Cli.Commands.Run.RequestSchedule;
using RunInputs = CoDesign.Cli.Commands.Run.TensorRunInputs;
using RunLimits = CoDesign.Cli.Commands.Run.RunLimits;

namespace CoDesign.Cli.Tests.Fuzz;

/// <summary>
/// Seeded fuzz campaigns, one per reader (issue 16): a few hundred generated bad inputs each, run in-process
/// through the CLI entry point, every one held to <see cref="FuzzContract"/>. Seeds are fixed, so a failure
/// reproduces; the cases are small (tiny models, a few requests) so the whole suite stays in seconds.
/// </summary>
[NonParallelizable]
public class ReaderFuzzTests
{
    TempDir _dir = null!;
    string _modelDir = null!;

    static string TestData(params string[] parts) => Path.Combine([TestContext.CurrentContext.TestDirectory, "TestData", .. parts]);

    [OneTimeSetUp]
    public void MakeFiles()
    {
        _dir = Cli.TempDir();
        _modelDir = _dir.File("tiny-moe");
        var r = Cli.Run("make-model", "--preset", "tiny-moe", "--out", _modelDir, "--seed", "1");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
    }

    [OneTimeTearDown]
    public void Clean() => _dir.Dispose();

    // Lenient UTF-8: a lone surrogate among the fuzzed characters is written as U+FFFD, as an editor would.
    string Write(string name, string text) { var p = _dir.File(name); File.WriteAllText(p, text, new UTF8Encoding(false, false)); return p; }
    string Write(string name, byte[] bytes) { var p = _dir.File(name); File.WriteAllBytes(p, bytes); return p; }

    [Test]
    public void ConfigJson()
    {
        var v = new FuzzValues(1601);
        var bases = Directory.GetFiles(TestData("configs"), "*.json").Select(File.ReadAllText).ToList();
        Assert.That(bases, Is.Not.Empty);
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 300; i++)
            {
                var path = i % 20 == 19 ? Write("config.json", v.Garbage()) : Write("config.json", v.MutateJson(v.Pick(bases)));
                yield return (i % 3 == 0
                    ? ["analyze", "--model", path, "--devices", "8", "--decode", "4", "--format", v.Pick(["json", "table", "csv"])]
                    : ["models", path, "--format", v.Pick(["json", "table", "csv"])], null);
            }
        }
        FuzzContract.All(Cases(), _dir, 300);
    }

    [Test]
    public void HardwareJson()
    {
        var v = new FuzzValues(1602);
        var bases = new[] { "duplex", "h100", "bank-pim" }.Select(h => Cli.Run("hardware", h).Out).ToList();
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 300; i++)
            {
                var path = i % 20 == 19 ? Write("hw.json", v.Garbage()) : Write("hw.json", v.MutateJson(v.Pick(bases)));
                yield return (i % 4 == 0
                    ? ["simulate", "--model", "tiny-moe", "--hardware", path, "--devices", v.Pick(["1", "2", "9"]), "--batch", "2", "--requests", "2",
                        "--input-len", "8", "--output-len", "4", "--format", v.Pick(["json", "table", "csv"])]
                    : ["analyze", "--model", "tiny-moe", "--hardware", path, "--decode", "4", "--prefill", "1x16", "--format", v.Pick(["json", "table", "csv"])], null);
            }
        }
        FuzzContract.All(Cases(), _dir, 300);
    }

    [Test]
    public void SimulateOptions()
    {
        var v = new FuzzValues(1603);
        string[] options = ["--batch", "--qps", "--max-batch", "--requests", "--input-len", "--output-len", "--length-std", "--max-batched-tokens",
            "--chunk-size", "--devices", "--trace-stages", "--seed", "--routing", "--scheduler", "--co-processing", "--moe-parallelism", "--placement", "--weight-type"];
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 300; i++)
            {
                // Small valid defaults, then one to three options set to a fuzzed value.
                var args = new Dictionary<string, string> { ["--requests"] = "3", ["--batch"] = "2", ["--input-len"] = "8", ["--output-len"] = "4" };
                for (int k = v.Rng.Next(1, 4); k > 0; k--) args[v.Pick(options)] = v.Rng.NextDouble() < 0.2 ? v.Rng.Next(1, 40).ToString() : v.Arg();
                if (args.ContainsKey("--qps")) args.Remove("--batch");
                var trace = _dir.File("trace.json");
                yield return ([
                    "simulate", "--model", "tiny-moe", .. args.SelectMany(kv => new[] { kv.Key, kv.Value }), "--trace", trace, "--format", v.Pick(["json", "table", "csv"])], trace);
            }
        }
        FuzzContract.All(Cases(), _dir, 300);
    }

    [Test]
    public void WorkloadCsv()
    {
        var v = new FuzzValues(1604);
        string[] headers = ["arrival_s,input_len,output_len", "input_len,arrival_s,output_len,user", "arrival,input_len,output_len,extra,more", "", "input_len,output_len"];
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 250; i++)
            {
                string path;
                if (i % 25 == 24) path = Write("trace.csv", v.Garbage());
                else
                {
                    var sb = new StringBuilder(v.Pick(headers)).Append('\n');
                    for (int r = v.Rng.Next(0, 6); r > 0; r--)
                    {
                        string Cell(int lo, int hi) => v.Rng.NextDouble() < 0.15 ? v.Arg() : v.Rng.Next(lo, hi).ToString();
                        sb.Append(v.Rng.NextDouble() < 0.15 ? v.Arg() : v.Number(0, 2)).Append(',').Append(Cell(1, 64)).Append(',').Append(Cell(1, 8));
                        if (v.Rng.NextDouble() < 0.3) sb.Append(",x");
                        sb.Append(v.Rng.NextDouble() < 0.1 ? "\r\n" : "\n");
                    }
                    path = Write("trace.csv", sb.ToString());
                }
                var csv = _dir.File("stages.csv");
                yield return (["simulate", "--model", "tiny-moe", "--workload", path, "--stages-csv", csv, "--format", v.Pick(["json", "table", "csv"])], csv);
            }
        }
        FuzzContract.All(Cases(), _dir, 250);
    }

    [Test]
    public void SweepFile()
    {
        var v = new FuzzValues(1605);
        const string Base = """
            {"name": "fz", "fixed": {"model": "tiny-moe", "requests": 2, "input_len": 8, "output_len": 4},
             "groups": [{"name": "g", "axes": {"batch": [1, 2], "hardware": ["duplex", "h100"], "devices": [1]},
                         "baseline": {"hardware": "h100"}},
                        {"name": "k", "mode": "zip", "axes": {"xpu_flops_per_s": [1e14, 2e14], "hbm_bandwidth_bytes_per_s": [2e12, 3e12],
                         "energy_j_per_bit": [1e-12, 2e-12], "length_std": [0, 0.1], "seed": [1, 2]}}]}
            """;
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 300; i++)
            {
                var path = i % 20 == 19 ? Write("sweep.json", v.Garbage()) : Write("sweep.json", v.MutateJson(Base));
                var results = _dir.File("results.jsonl");
                // Most cases only expand (--list); every 25th runs its points, with a results file (running is the
                // simulator's work, which SimulateOptions fuzzes; the reader's is the expansion).
                yield return (i % 25 == 0
                    ? ["sweep", path, "--out", results, "--jobs", "1", "--format", v.Pick(["json", "table", "csv"])]
                    : ["sweep", path, "--list", "--format", v.Pick(["json", "table", "csv"])], i % 25 == 0 ? results : null);
            }
        }
        FuzzContract.All(Cases(), _dir, 300);
    }

    [Test]
    public void SweepAxes()
    {
        var v = new FuzzValues(1606);
        string[] names = ["batch", "devices", "devices_multiple", "qps", "requests", "input_len", "output_len", "length_std", "seed", "logic_pim_op_b",
            "logic_pim_bandwidth_multiple", "logic_pim_clock_hz", "xpu_flops_per_s", "hbm_bandwidth_bytes_per_s", "hbm_capacity_bytes", "energy_j_per_bit", "routing", "nonsense"];
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 200; i++)
            {
                var axes = Enumerable.Range(0, v.Rng.Next(1, 4)).Select(_ => $"{v.Pick(names)}={string.Join(',', Enumerable.Range(0, v.Rng.Next(1, 4)).Select(_ => v.Arg()))}");
                yield return (["sweep", "--axis", "model=tiny-moe", .. axes.SelectMany(a => new[] { "--axis", a }), "--list", "--format", "json"], null);
            }
        }
        FuzzContract.All(Cases(), _dir, 200);
    }

    [Test]
    public void SafetensorsHeader()
    {
        var v = new FuzzValues(1607);
        var original = Directory.GetFiles(_modelDir, "*.safetensors").Single();
        var bytes = File.ReadAllBytes(original);
        int headerLen = (int)BitConverter.ToUInt64(bytes, 0);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLen);
        var dir = _dir.File("broken-model");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(_modelDir, "config.json"), Path.Combine(dir, "config.json"));
        var target = Path.Combine(dir, Path.GetFileName(original));
        byte[] Broken(int i)
        {
            if (i % 5 == 4)
            {
                // Raw corruption: the length prefix or bytes of the header.
                var file = (byte[])bytes.Clone();
                for (int k = v.Rng.Next(1, 4); k > 0; k--) file[v.Rng.Next(0, Math.Min(file.Length, 8 + headerLen))] = (byte)v.Rng.Next(256);
                return file;
            }
            var h = Encoding.UTF8.GetBytes(v.MutateJson(header));
            return [.. BitConverter.GetBytes((ulong)h.Length), .. h, .. bytes.AsSpan(8 + headerLen)];
        }
        // 40 through the CLI (a file that loads runs the model, the costly part), 200 through the weight loader 'run' calls.
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 40; i++)
            {
                File.WriteAllBytes(target, Broken(i));
                yield return (["run", "--model", dir, "--max-new-tokens", "1", "--format", "json"], null);
            }
        }
        FuzzContract.All(Cases(), _dir, 40);
        IEnumerable<(string, Action)> Loads()
        {
            for (int i = 0; i < 200; i++)
            {
                File.WriteAllBytes(target, Broken(i));
                yield return ($"case {i}", () => RunInputs.LoadWeights(dir, 1));
            }
        }
        FuzzContract.Readers(Loads(), 200);
    }

    [Test]
    public void Prompts()
    {
        var v = new FuzzValues(1608);
        string Prompts(int i)
        {
            if (i % 20 == 19) return Write("prompts.txt", v.Garbage());
            var sb = new StringBuilder();
            for (int l = v.Rng.Next(0, 4); l > 0; l--)
            {
                var ids = Enumerable.Range(0, v.Rng.Next(0, 6)).Select(_ => v.Rng.NextDouble() < 0.1 ? v.Arg() : v.Rng.Next(0, 1100).ToString());
                sb.Append(string.Join(v.Pick([" ", ",", "\t"]), ids)).Append(v.Rng.NextDouble() < 0.2 ? " # comment\n" : "\n");
            }
            if (v.Rng.NextDouble() < 0.05) sb.Append(string.Join(' ', Enumerable.Repeat("1", 5000))).Append('\n');   // a prompt over the limit
            return Write("prompts.txt", sb.ToString());
        }
        // 40 through the CLI (a valid file runs the model, the costly part), 260 through the reader and limits 'run' calls.
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 40; i++)
                yield return (["run", "--model", "tiny-moe", "--prompts", Prompts(i), "--max-new-tokens", v.Pick(["1", "2", "0", "5000", "1e3"]),
                    "--max-batch", v.Pick(["1", "4", "0", "257"]), "--format", v.Pick(["json", "table", "csv"])], null);
        }
        FuzzContract.All(Cases(), _dir, 40);
        IEnumerable<(string, Action)> Reads()
        {
            for (int i = 0; i < 260; i++)
            {
                var path = Prompts(i);
                int newTokens = v.Pick([1, 2, 4096, 5000]);
                yield return ($"case {i}", () => RunLimits.CheckRequests(RunInputs.ReadPrompts(path, newTokens), "prompts"));
            }
        }
        FuzzContract.Readers(Reads(), 260);
    }

    [Test]
    public void RequestSchedules()
    {
        var v = new FuzzValues(1610);
        string Schedule(int i)
        {
            if (i % 20 == 19) return Write("requests.csv", v.Garbage());
            var sb = new StringBuilder(v.Rng.NextDouble() < 0.9 ? "arrival_stage,max_new_tokens,prompt\n" : v.Pick(["arrival,max_new_tokens,prompt\n", "", "arrival_stage,max_new_tokens\n"]));
            for (int l = v.Rng.Next(0, 4); l > 0; l--)
            {
                string Num(int max) => v.Rng.NextDouble() < 0.1 ? v.Arg() : v.Rng.Next(0, max).ToString();
                var ids = Enumerable.Range(0, v.Rng.Next(0, 6)).Select(_ => Num(1100));
                sb.Append(Num(6)).Append(',').Append(Num(5)).Append(',').Append(string.Join(' ', ids));
                sb.Append(v.Rng.NextDouble() < 0.1 ? ",extra\n" : "\n");
            }
            return Write("requests.csv", sb.ToString());
        }
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 20; i++)
                yield return (["run", "--model", "tiny-moe", "--requests", Schedule(i), "--max-batch", v.Pick(["1", "2", "0"]), "--format", v.Pick(["json", "table", "csv"])], null);
        }
        FuzzContract.All(Cases(), _dir, 20);
        IEnumerable<(string, Action)> Reads()
        {
            for (int i = 0; i < 200; i++)
            {
                var path = Schedule(i);
                yield return ($"case {i}", () => RunLimits.CheckRequests(RequestSchedule.Read(path), "requests"));
            }
        }
        FuzzContract.Readers(Reads(), 200);
    }

    [Test]
    public void OutputPaths()
    {
        var v = new FuzzValues(1609);
        IEnumerable<(string[], string?)> Cases()
        {
            for (int i = 0; i < 100; i++)
            {
                string[] names = ["", " ", "out.pb", "out.json", "no-such-dir/out.pb", "sub/", ".", "..", "\u0001.pb", new string('a', 300) + ".pb"];
                var name = v.Pick(names);
                var path = name.Trim().Length == 0 ? name : _dir.File(name);
                yield return (["compile", "--model", "tiny-moe", "--out", path, "--format", v.Pick(["json", "table", "csv"])], path.Trim().Length == 0 ? null : path);
            }
        }
        FuzzContract.All(Cases(), _dir, 100);
    }
}
