using CoDesign.Cli;
using CoDesign.Runtime.Tensors.Gguf;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Testing;

namespace CoDesign.Runtime.Oracle.Tests;

/// <summary>
/// Our engine against llama.cpp on the same weights, per architecture: greedy tokens and every step's logits
/// (<see cref="OracleComparison"/>). Plus checks that the comparison can fail: a model that differs from the
/// exported one in one place (RoPE base, one expert's weight) must disagree.
/// </summary>
[NonParallelizable]
public class LlamaCppOracleTests
{
    string _dir = null!;

    [SetUp] public void MakeDir() => _dir = Directory.CreateTempSubdirectory("codesign-oracle-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, true);

    static void AssertAgrees(OracleAgreement a)
    {
        TestContext.Out.WriteLine($"compared {a.TokensCompared} steps, {a.TokensMatching} tokens equal, {a.ExcusedTies} ties, " +
            $"max logit error {a.MaxRelLogitError:0.00e+0} of max|logit| (bound {a.Tolerance:0.00e+0})");
        Assert.That(a.Problems, Is.Empty);
        Assert.That(a.TokensMatching, Is.GreaterThanOrEqualTo(a.TokensCompared - 1));
        Assert.That(a.TokensCompared, Is.GreaterThanOrEqualTo(8));
    }

    [Test]
    public void DenseLlamaAgreesWithLlamaCpp()
    {
        var w = OracleModels.Dense();
        Assert.That(GgufExporter.ArchitectureOf(w), Is.EqualTo("llama"));
        AssertAgrees(OracleComparison.Compare(w, OracleComparison.Export(w, _dir), OracleComparison.Prompts(w.Vocab, 6)));
    }

    [Test]
    public void MixtralAgreesWithLlamaCpp()
    {
        var w = OracleModels.Mixtral();
        Assert.That(GgufExporter.ArchitectureOf(w), Is.EqualTo("llama"));
        AssertAgrees(OracleComparison.Compare(w, OracleComparison.Export(w, _dir), OracleComparison.Prompts(w.Vocab, 6)));
    }

    [Test]
    public void QwenMoeAgreesWithLlamaCpp()
    {
        var w = OracleModels.QwenMoe();
        Assert.That(GgufExporter.ArchitectureOf(w), Is.EqualTo("qwen2moe"));
        AssertAgrees(OracleComparison.Compare(w, OracleComparison.Export(w, _dir), OracleComparison.Prompts(w.Vocab, 6)));
    }

    [Test]
    public void Qwen3MoeAgreesWithLlamaCpp()
    {
        var w = OracleModels.Qwen3Moe();
        Assert.That(GgufExporter.ArchitectureOf(w), Is.EqualTo("qwen3moe"));
        AssertAgrees(OracleComparison.Compare(w, OracleComparison.Export(w, _dir), OracleComparison.Prompts(w.Vocab, 6)));
    }

    [Test]
    public void OracleCatchesMissingQkNorm()
    {
        // The defect the issue reported: a Qwen3 model run without its q_norm/k_norm.
        var w = OracleModels.Qwen3Moe();
        var gguf = OracleComparison.Export(w, _dir);
        var off = new ModelWeights
        {
            Config = w.Config,
            Embedding = w.Embedding,
            FinalNorm = w.FinalNorm,
            LmHead = w.LmHead,
            Origin = w.Origin,
            Layers = [.. w.Layers.Select(L => new LayerWeights { InputNorm = L.InputNorm, Q = L.Q, K = L.K, V = L.V, O = L.O, PostNorm = L.PostNorm, Router = L.Router, Experts = L.Experts })],
        };
        Assert.That(OracleComparison.Compare(off, gguf, OracleComparison.Prompts(w.Vocab, 3)).Agrees, Is.False);
    }

    [Test]
    public void OracleCatchesAWrongRopeBase()
    {
        var w = OracleModels.Dense();
        var gguf = OracleComparison.Export(w, _dir);
        var c = w.Config.Clone();
        c.RopeTheta *= 1.01;
        var off = new ModelWeights { Config = c, Embedding = w.Embedding, Layers = w.Layers, FinalNorm = w.FinalNorm, LmHead = w.LmHead, Origin = w.Origin };
        var a = OracleComparison.Compare(off, gguf, OracleComparison.Prompts(w.Vocab, 3));
        Assert.That(a.Agrees, Is.False, "a 1 % RoPE-base error must exceed the FP32 logit bound");
    }

    [Test]
    public void OracleCatchesAWrongExpertCombine()
    {
        // Qwen routing (raw top-k weights) run with Mixtral's renormalisation: the experts' combine differs.
        var w = OracleModels.QwenMoe();
        var gguf = OracleComparison.Export(w, _dir);
        var c = w.Config.Clone();
        c.NormTopkProb = true;
        var off = new ModelWeights { Config = c, Embedding = w.Embedding, Layers = w.Layers, FinalNorm = w.FinalNorm, LmHead = w.LmHead, Origin = w.Origin };
        Assert.That(OracleComparison.Compare(off, gguf, OracleComparison.Prompts(w.Vocab, 3)).Agrees, Is.False);
    }

    [Test]
    public void ExportGgufCliWritesAFileLlamaCppLoadsAndRefusesBadInput()
    {
        var model = Path.Combine(_dir, "m");
        var o = new StringWriter(); var e = new StringWriter();
        Assert.That(CodesignApp.Run(["make-model", "--preset", "tiny-dense", "--out", model], o, e), Is.Zero, e.ToString());
        var gguf = Path.Combine(_dir, "m.gguf");
        Assert.That(CodesignApp.Run(["export-gguf", "--model", model, "--out", gguf], o, e), Is.Zero, e.ToString());
        Assert.That(o.ToString(), Does.Contain("GGUF (llama)"));
        var r = LlamaCppOracle.Run(gguf, [[5, 6, 7]], 2);
        Assert.That(r[0].Generated, Has.Length.EqualTo(2));

        var err = new StringWriter();
        Assert.That(CodesignApp.Run(["export-gguf", "--model", model, "--out", gguf, "--dtype", "int3"], new StringWriter(), err), Is.EqualTo(2));
        Assert.That(err.ToString().Trim().Split('\n'), Has.Length.EqualTo(1));
        err = new StringWriter();
        Assert.That(CodesignApp.Run(["export-gguf", "--model", "tiny-moe", "--out", Path.Combine(_dir, "no", "such", "dir", "x.gguf")], new StringWriter(), err), Is.EqualTo(2));
        Assert.That(err.ToString(), Does.Contain("cannot write"));
    }
}
