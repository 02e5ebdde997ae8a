using CoDesign.Cli;
using CoDesign.Runtime.Serving;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tests.Serving;

/// <summary>
/// Lower layers name settings, not flags (issue 11): the simulator's refusal says "max_batch" to a sweep file and the
/// CLI spells the same refusal "--max-batch".
/// </summary>
public class SettingMessageTests
{
    [Test]
    public void TheSimulatorNamesTheSetting_AndTheCliSpellsItsFlag()
    {
        var program = Sim.Compile("mixtral-8x7b", "duplex", 4);
        var e = Assert.Throws<InputException>(() => ServingSimulator.Run(program, new WorkloadOptions { MaxBatch = 0, Requests = 4 }))!;
        Assert.That(e.Message, Does.StartWith("max_batch must be at least 1"));
        Assert.That(e.Message, Does.Not.Contain("--"));
        Assert.That(e.Render(Setting.Flag), Does.StartWith("--max-batch must be at least 1"));

        var err = new StringWriter();
        int code = CodesignApp.Run(["simulate", "--model", "mixtral-8x7b", "--hardware", "duplex", "--devices", "4", "--max-batch", "0"], new StringWriter(), err);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.ToString(), Does.Contain("--max-batch must be at least 1").Or.Contain("--max-batch = 0"));
        Assert.That(err.ToString(), Does.Not.Contain("\u0001"));
    }

    [Test]
    public void ReferencesAreSpelledEachTime_AndPlainTextIsUntouched()
    {
        string m = $"give either {Setting.Ref("batch")} or {Setting.Ref("qps")}, not both";
        Assert.That(Setting.Spell(m, n => n), Is.EqualTo("give either batch or qps, not both"));
        Assert.That(Setting.Spell(m, Setting.Flag), Is.EqualTo("give either --batch or --qps, not both"));
        Assert.That(Setting.Spell("no references -- here", Setting.Flag), Is.EqualTo("no references -- here"));
    }
}
