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

    [TestCase("rope_scaling", """{"rope_type": "linear", "factor": 2.0}""", "rope_scaling")]
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

    [Test]
    public void NeutralValues_AreNoFeature_AndRun()
    {
        var dir = Model(c => { c["rope_scaling"] = null; c["pretraining_tp"] = 1; });
        var r = Run("run", "--model", dir, "--backend", "cpu", "--max-new-tokens", "2");
        Assert.That(r.Code, Is.Zero, r.Err);
    }
}
