using System.Text.Json;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.Programs;
using Google.Protobuf;

namespace CoDesign.Cli.Tests.Contract;

/// <summary>
/// The Program file is the contract: what 'compile --out' writes, 'simulate', 'analyze', 'run' and 'validate' read
/// back without recompiling, with the same results as compiling in memory; a Program that does not match the other
/// flags, from another format version, or damaged, is refused with one line and exit 2.
/// </summary>
public class ProgramContractTests
{
    static readonly string[] Mixtral = ["--model", "mixtral-8x7b", "--devices", "4"];
    static readonly string[] Serve = ["--batch", "4", "--requests", "8", "--input-len", "64", "--output-len", "16", "--routing", "zipf:1.2", "--seed", "3"];

    static string CompileTo(TempDir dir, string name, params string[] args)
    {
        var path = dir.File(name);
        var r = Cli.Run(["compile", .. args, "--out", path]);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        return path;
    }

    [TestCase("p.pb")]
    [TestCase("p.json")]
    public void Simulate_FromTheFile_IsByteIdenticalToCompilingInMemory(string file)
    {
        using var dir = Cli.TempDir();
        var path = CompileTo(dir, file, Mixtral);
        foreach (var format in new[] { "json", "csv" })
        {
            var fromFile = Cli.Run(["simulate", "--program", path, .. Serve, "--format", format]);
            var inMemory = Cli.Run(["simulate", .. Mixtral, .. Serve, "--format", format]);
            Assert.That(fromFile.ExitCode, Is.Zero, fromFile.ToString());
            Assert.That(fromFile.Out, Is.EqualTo(inMemory.Out));
            Assert.That(fromFile.Out, Does.Contain("mixtral-8x7b"));
        }
    }

    [Test]
    public void TheFileHoldsExactlyTheProgramCompiledInMemory()
    {
        using var dir = Cli.TempDir();
        var pb = CompileTo(dir, "p.pb", Mixtral);
        var json = CompileTo(dir, "p.json", Mixtral);
        var fromPb = ProgramFile.Read(pb);
        var fromJson = ProgramFile.Read(json);
        Assert.That(fromJson, Is.EqualTo(fromPb), "the JSON and binary files carry the same Program");
        var inMemory = ProgramCompiler.Compile(ModelLoader.WithTypes(ModelLoader.Resolve("mixtral-8x7b"), null, null, null), HardwarePresets.Get("duplex"),
            new SystemOptions(Devices: 4));
        Assert.That(File.ReadAllBytes(pb), Is.EqualTo(inMemory.ToByteArray()), "the file is byte for byte the Program compiled in memory");
        Assert.That(fromPb.ContentSha256, Has.Length.EqualTo(64));
        Assert.That(fromPb.FormatVersion, Is.EqualTo(ProgramFile.FormatVersion));
        // Everything both executions need travels in the file.
        Assert.That(new object?[] { fromPb.ExpertTable, fromPb.PimKernels, fromPb.Hardware, fromPb.Model, fromPb.System }, Has.None.Null);
        Assert.That(fromPb.System.Placement, Is.Not.EqualTo(Schema.V1.PlacementPolicy.Unspecified));
        Assert.That(fromPb.System.CoProcessing, Is.Not.EqualTo(Schema.V1.CoProcessing.Unspecified));
    }

    [Test]
    public void Analyze_FromTheFile_IsByteIdenticalToCompilingInMemory()
    {
        using var dir = Cli.TempDir();
        var path = CompileTo(dir, "p.pb", [.. Mixtral, "--placement", "paper"]);
        string[] stage = ["--decode", "32", "--context", "512", "--prefill", "1x256", "--format", "json"];
        var fromFile = Cli.Run(["analyze", "--program", path, .. stage]);
        var inMemory = Cli.Run(["analyze", .. Mixtral, "--placement", "paper", .. stage]);
        Assert.That(fromFile.ExitCode, Is.Zero, fromFile.ToString());
        Assert.That(fromFile.Out, Is.EqualTo(inMemory.Out));
    }

    /// <summary>The deterministic part of a run report: the plan, the tokens and every stage's decisions (not the timings).</summary>
    static string Decisions(string runJson)
    {
        using var d = JsonDocument.Parse(runJson);
        var root = d.RootElement;
        var stages = root.GetProperty("stages").EnumerateArray().Select(s => string.Join("|", s.GetProperty("kind").GetString(),
            s.GetProperty("expert_runs_on_xpu").GetInt32(), s.GetProperty("expert_runs_on_pim").GetInt32(),
            s.GetProperty("decode_attention_on_pim").GetInt32(), string.Join(' ', s.GetProperty("on_pim").EnumerateArray().Select(x => x.GetString()))));
        var tokens = root.GetProperty("requests").EnumerateArray().Select(r => string.Join(' ', r.GetProperty("generated").EnumerateArray().Select(t => t.GetInt32())));
        return $"{root.GetProperty("plan").GetString()}\n{string.Join("\n", tokens)}\n{string.Join("\n", stages)}";
    }

    [Test]
    public void Run_FromTheFile_DecidesAndGeneratesAsCompilingInMemory()
    {
        using var dir = Cli.TempDir();
        var path = CompileTo(dir, "tiny.pb", "--model", "tiny-moe", "--co-processing", "experts");
        string[] run = ["--model", "tiny-moe", "--max-new-tokens", "4", "--format", "json"];
        var fromFile = Cli.Run(["run", "--program", path, .. run]);
        var inMemory = Cli.Run(["run", .. run, "--co-processing", "experts"]);
        Assert.That(fromFile.ExitCode, Is.Zero, fromFile.ToString());
        Assert.That(Decisions(fromFile.Out), Is.EqualTo(Decisions(inMemory.Out)));
        Assert.That(Decisions(fromFile.Out), Does.Contain("co-processing experts"));
        var validate = Cli.Run("validate", "--program", path, "--model", "tiny-moe", "--backend", "cpu", "--max-new-tokens", "2");
        Assert.That(validate.ExitCode, Is.Zero, validate.ToString());
    }

    static void AssertRefused(CliResult r, string mention)
    {
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.Out, Is.Empty);
        Assert.That(r.ErrLines, Has.Length.EqualTo(1), r.Err);
        Assert.That(r.Err, Does.Contain(mention));
    }

    [TestCase("--model", "llama3-70b", "model")]
    [TestCase("--hardware", "h100", "hardware")]
    [TestCase("--devices", "8", "devices")]
    [TestCase("--placement", "paper", "--placement min-time")]
    [TestCase("--co-processing", "none", "--co-processing both")]
    [TestCase("--moe-parallelism", "tp", "--moe-parallelism ep")]
    [TestCase("--weight-type", "int8", "weight")]
    public void Simulate_RefusesAProgramThatTheOtherFlagsContradict(string flag, string value, string mention)
    {
        using var dir = Cli.TempDir();
        var path = CompileTo(dir, "p.pb", Mixtral);
        AssertRefused(Cli.Run(["simulate", "--program", path, flag, value, .. Serve]), mention);
    }

    [Test]
    public void FlagsThatAgreeWithTheProgram_AreAccepted()
    {
        using var dir = Cli.TempDir();
        var path = CompileTo(dir, "p.pb", Mixtral);
        var r = Cli.Run(["simulate", "--program", path, .. Mixtral, "--hardware", "duplex", "--co-processing", "auto", "--placement", "min-time", .. Serve]);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
    }

    [Test]
    public void RunAndValidate_RefuseAProgramForOtherWeightsOrHardware()
    {
        using var dir = Cli.TempDir();
        var tiny = CompileTo(dir, "tiny.pb", "--model", "tiny-moe");
        var big = CompileTo(dir, "big.pb", Mixtral);
        AssertRefused(Cli.Run("run", "--program", tiny, "--model", "tiny-dense"), "tiny-moe");
        AssertRefused(Cli.Run("validate", "--program", tiny, "--model", "tiny-dense", "--backend", "cpu"), "tiny-moe");
        AssertRefused(Cli.Run("run", "--program", big, "--model", "tiny-moe"), "mixtral-8x7b");
        AssertRefused(Cli.Run("run", "--program", tiny, "--model", "tiny-moe", "--hardware", "h100"), "hardware");
        AssertRefused(Cli.Run("run", "--program", tiny, "--model", "tiny-moe", "--placement", "paper"), "--placement");
    }

    [Test]
    public void DamagedOldNewerAndForeignFiles_AreRefused()
    {
        using var dir = Cli.TempDir();
        var path = CompileTo(dir, "p.pb", Mixtral);
        var bytes = File.ReadAllBytes(path);
        string Write(string name, byte[] content) { var f = dir.File(name); File.WriteAllBytes(f, content); return f; }

        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x01;
        var truncated = bytes[..(bytes.Length / 3)];
        var old = ProgramFile.Read(path);
        old.FormatVersion = 0;
        old.ContentSha256 = ProgramFile.Hash(old);
        var newer = ProgramFile.Read(path);
        newer.FormatVersion = ProgramFile.FormatVersion + 1;
        newer.ContentSha256 = ProgramFile.Hash(newer);
        var unsealed = ProgramFile.Read(path);
        unsealed.ContentSha256 = "";

        foreach (var (file, mention) in new[]
        {
            (Write("flipped.pb", flipped), "corrupt"),
            (Write("truncated.pb", truncated), "corrupt"),
            (Write("old.pb", old.ToByteArray()), "older"),
            (Write("newer.pb", newer.ToByteArray()), "newer"),
            (Write("unsealed.pb", unsealed.ToByteArray()), "corrupt"),
            (Write("text.pb", "not a program\n"u8.ToArray()), "not a Program"),
            (Write("bad.json", "{ \"model\": 3 }"u8.ToArray()), "not a Program"),
            (dir.File("missing.pb"), "cannot read"),
        })
        {
            AssertRefused(Cli.Run("simulate", "--program", file, "--batch", "1"), mention);
            AssertRefused(Cli.Run("analyze", "--program", file, "--decode", "1"), mention);
        }
        AssertRefused(Cli.Run("run", "--program", Write("flipped2.pb", flipped), "--model", "tiny-moe"), "corrupt");
    }

    [Test]
    public void WithoutModelOrProgram_SimulateSaysWhatIsMissing() =>
        AssertRefused(Cli.Run("simulate", "--batch", "2"), "--model");
}
