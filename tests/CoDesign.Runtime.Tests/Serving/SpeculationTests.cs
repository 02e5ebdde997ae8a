using CoDesign.Cli;
using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Graph;
using CoDesign.Machine.Stages;
using CoDesign.Runtime.Serving;
using CoDesign.Runtime.Serving.Techniques;

namespace CoDesign.Runtime.Tests.Serving;

/// <summary>Draft-then-verify speculative decoding in the simulator and the verify step's shape.</summary>
public class SpeculationTests
{
    static readonly Schema.V1.Program Mixtral = Sim.Compile("mixtral-8x7b", "duplex", 4);
    static readonly Schema.V1.Program Draft = Sim.Compile("tinyllama-1.1b", "duplex", 4);

    static WorkloadOptions Spec(int k, double accept, bool adaptive = false) => new()
    {
        Batch = 4,
        Requests = 8,
        InputLen = 64,
        OutputLen = 33,
        Speculation = new SpeculationOptions { K = k, AcceptRate = accept, Adaptive = adaptive, Draft = Draft },
    };

    [Test]
    public void AllAccepted_EachVerifyGivesKPlusOneTokens()
    {
        var (r, stages) = Sim.Run(Mixtral, Spec(k: 3, accept: 1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.OutputTokens, Is.EqualTo(8 * 33));
            // After the prefill token, 32 more arrive in 8 verifies of 4 per request and wave.
            Assert.That(r.Speculation!.TokensPerVerify, Is.EqualTo(4));
            Assert.That(stages.Count(s => s.Kind == "decode-only"), Is.EqualTo(2 * 8));
            Assert.That(stages.First(s => s.Kind == "decode-only").Tokens, Is.EqualTo(4 * 4), "k + 1 query tokens per request");
        }
    }

    [Test]
    public void NoneAccepted_OneTokenPerVerify_AndSlowerThanPlainDecoding()
    {
        var spec = Sim.Run(Mixtral, Spec(2, 0)).Result;
        var plain = Sim.Run(Mixtral, Spec(2, 0) with { Speculation = null }).Result;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.Speculation!.TokensPerVerify, Is.EqualTo(1));
            Assert.That(spec.OutputTokens, Is.EqualTo(plain.OutputTokens));
            Assert.That(spec.SimulatedTimeS, Is.GreaterThan(plain.SimulatedTimeS), "draft and verify cost without any gain");
        }
    }

    [Test]
    public void AcceptanceMatchesTheRate_AndTheSeedFixesTheDraws()
    {
        var o = Spec(4, 0.7) with { Requests = 32, OutputLen = 200 };
        var a = Sim.Run(Mixtral, o).Result;
        var b = Sim.Run(Mixtral, o).Result;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(b.Speculation, Is.EqualTo(a.Speculation));
            Assert.That(b.SimulatedTimeS, Is.EqualTo(a.SimulatedTimeS));
            // E[accepted per draft] at k = 4: (0.7 + 0.49 + 0.343 + 0.2401) / 4 = 0.443.
            Assert.That(a.Speculation!.AcceptedPerDraft, Is.EqualTo(0.443).Within(0.03));
        }
    }

    [Test]
    public void Adaptive_ChoosesNoDraftsWhenNoneAreAccepted_AndSomeWhenAllAre()
    {
        var none = Sim.Run(Mixtral, Spec(4, 0, adaptive: true)).Result.Speculation!;
        var all = Sim.Run(Mixtral, Spec(4, 1, adaptive: true)).Result.Speculation!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(none.MeanK, Is.Zero);
            Assert.That(all.MeanK, Is.GreaterThan(1));
        }
    }

    [Test]
    public void ExpectedTokens_FollowsTheProfile()
    {
        var o = new SpeculationOptions { K = 3, AcceptProfile = [0.9, 0.5], Draft = Draft };
        // 1 + 0.9 + 0.9·0.5 + 0.9·0.5·0.5 (positions past the profile reuse its last rate).
        Assert.That(o.ExpectedTokens(3), Is.EqualTo(1 + 0.9 + 0.45 + 0.225).Within(1e-12));
    }

    [Test]
    public void VerifyStep_MultipliesDecodeAttentionOpB_AndMovesExpertsOffThePim()
    {
        var plain = StageAnalyzer.Analyze(Mixtral, StageShape.Of(32, 1024));
        var verify = new StageShape();
        for (int i = 0; i < 32; i++) verify.AddDecode(1024, 5, 1024);
        var v = StageAnalyzer.Analyze(Mixtral, verify);
        var s0 = plain.Ops.First(o => o.Op == OpNames.ScoreDecode);
        var s4 = v.Ops.First(o => o.Op == OpNames.ScoreDecode);
        using (Assert.EnterMultipleScope())
        {
            // Pairs 5·1024 + 10 over one read of 1024 + 4 KV tokens per request.
            Assert.That(s4.Counts.Flops / s0.Counts.Flops, Is.EqualTo((5 * 1024 + 10) / 1024.0).Within(1e-9));
            Assert.That(s4.Counts.KvBytes / s0.Counts.KvBytes, Is.EqualTo(1028 / 1024.0).Within(1e-9));
            Assert.That(plain.Ops.First(o => o.Op == OpNames.Experts).Processor, Is.EqualTo("logic_pim"));
            Assert.That(v.Ops.First(o => o.Op == OpNames.Experts).Processor, Is.EqualTo("xpu"));
        }
    }

    static (int Code, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        return (CodesignApp.Run(args, o, e), e.ToString());
    }

    [TestCase("--spec-k", "-1", "--spec-k = -1 is not allowed (expected an integer in [0, 32]")]
    [TestCase("--spec-accept", "1.5", "--spec-accept = 1.5 is not allowed (expected a finite number in [0, 1]")]
    [TestCase("--spec-k", "2", "--spec-k needs --draft-model")]
    [TestCase("--group-size", "96", "--group-size 96 does not divide K")]
    [TestCase("--shared-prefix", "-5", "--shared-prefix = -5 is not allowed")]
    [TestCase("--spec-k", "33", "--spec-k = 33 is not allowed")]
    [TestCase("--prefix-cache-fraction", "1", "--prefix-cache-fraction = 1 is not allowed")]
    [TestCase("--group-size", "-1", "--group-size = -1 is not allowed")]
    public void BadValue_ExitsTwoWithOneLine(string option, string value, string message)
    {
        var (code, err) = Cli("simulate", "--model", "mixtral-8x7b", "--devices", "4", "--batch", "4", "--weight-type", "int4",
            option, value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(err, Does.Contain(message));
        }
    }
}
