using System.Text.Json.Nodes;
using CoDesign.Cli;

namespace CoDesign.Runtime.Tensors.Tests.Cli;

/// <summary>
/// A config feature the tensor runtime does not compute is refused by run and validate (exit 2, naming it) instead of
/// running another model's numbers; a key with its neutral value is no feature and runs.
/// </summary>
public class UnimplementedConfigTests
{
    string _dir = null!;

    [SetUp] public void MakeDir() => _dir = Directory.CreateTempSubdirectory("codesign-unimpl-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int code = CodesignApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>tiny-dense with <paramref name="edit"/> applied to its config.json.</summary>
    string Model(Action<JsonObject> edit)
    {
        var dir = Path.Combine(_dir, "m");
        Assert.That(Run("make-model", "--preset", "tiny-dense", "--out", dir, "--seed", "1").Code, Is.Zero);
        var path = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
        return dir;
    }

    [TestCase("rope_scaling", """{"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 4096}""", "rope_scaling")]
    [TestCase("rope_scaling", """{"type": "dynamic", "factor": 2.0}""", "rope_scaling")]
    [TestCase("sliding_window", "8", "sliding-window attention")]
    [TestCase("final_logit_softcapping", "30.0", "final logit soft-capping")]
    [TestCase("query_pre_attn_scalar", "256", "query_pre_attn_scalar")]
    public void RunAndValidate_RefuseIt(string key, string value, string named)
    {
        var dir = Model(c => c[key] = JsonNode.Parse(value));
        foreach (var verb in new[] { "run", "validate" })
        {
            var r = Run(verb, "--model", dir, "--backend", "cpu", "--max-new-tokens", "2");
            Assert.That(r.Code, Is.EqualTo(2), $"{verb}: {r.Err}");
            Assert.That(r.Err, Does.Contain(named).And.Contain("not implemented by the tensor runtime"), verb);
            Assert.That(r.Err.Trim().Split('\n'), Has.Length.EqualTo(1), verb);
        }
        // The analytic side costs the same config.
        Assert.That(Run("analyze", "--model", Path.Combine(dir, "config.json"), "--decode", "4").Code, Is.Zero);
    }

    /// <summary>linear and llama3 rope_scaling are computed: run and validate accept them, and the engine agrees with
    /// the independent decoder, which applies the scaling its own way.</summary>
    [TestCase("""{"rope_type": "linear", "factor": 2.0}""")]
    [TestCase("""{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 16}""")]
    public void ImplementedRopeScaling_Runs(string value)
    {
        var dir = Model(c => c["rope_scaling"] = JsonNode.Parse(value));
        var r = Run("validate", "--model", dir, "--backend", "cpu", "--max-new-tokens", "3");
        Assert.That(r.Code, Is.Zero, r.Out + r.Err);
        Assert.That(r.Out, Does.Contain("engine vs independent float64 decoder").And.Contain("; pass"));
        var gguf = Run("export-gguf", "--model", dir, "--out", Path.Combine(_dir, "m.gguf"));
        Assert.That(gguf.Code, Is.EqualTo(2), "the GGUF export does not carry rope_scaling, so it refuses");
        Assert.That(gguf.Err, Does.Contain("rope_scaling"));
    }

    [TestCase("""{"rope_type": "llama3", "factor": 8.0}""", "rope_scaling.low_freq_factor")]
    [TestCase("""{"rope_type": "linear", "factor": -1}""", "rope_scaling.factor")]
    [TestCase("""{"rope_type": "llama3", "factor": 8, "low_freq_factor": 4, "high_freq_factor": 1, "original_max_position_embeddings": 8192}""", "high_freq_factor")]
    public void MalformedRopeScaling_IsOneLineExit2(string value, string named)
    {
        var dir = Model(c => c["rope_scaling"] = JsonNode.Parse(value));
        var r = Run("run", "--model", dir, "--backend", "cpu", "--max-new-tokens", "2");
        Assert.That(r.Code, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(named));
    }

    [Test]
    public void NeutralValues_AreNoFeature_AndRun()
    {
        var dir = Model(c => { c["rope_scaling"] = null; c["pretraining_tp"] = 1; });
        var r = Run("run", "--model", dir, "--backend", "cpu", "--max-new-tokens", "2");
        Assert.That(r.Code, Is.Zero, r.Err);
    }
}
