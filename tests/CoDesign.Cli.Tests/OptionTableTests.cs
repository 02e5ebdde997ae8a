using CoDesign.Compiler.Planning;
using CoDesign.Sweeps.Options;

namespace CoDesign.Cli.Tests;

/// <summary>One table per system option: every verb refuses an unknown name with exit 2 naming the choices.</summary>
public class OptionTableTests
{
    [TestCase("simulate", "--co-processing", "none, experts, attention, both, auto")]
    [TestCase("simulate", "--moe-parallelism", "ep, tp")]
    [TestCase("simulate", "--scheduler", "mixed, prefill-first, chunked")]
    [TestCase("simulate", "--placement", "min-time, paper")]
    [TestCase("analyze", "--co-processing", "none, experts, attention, both, auto")]
    [TestCase("analyze", "--placement", "min-time, paper")]
    [TestCase("compile", "--moe-parallelism", "ep, tp")]
    [TestCase("compile", "--placement", "min-time, paper")]
    [TestCase("run", "--co-processing", "none, experts, attention, both, auto")]
    [TestCase("run", "--placement", "min-time, paper")]
    [TestCase("validate", "--co-processing", "none, experts, attention, both, auto")]
    public void UnknownName_ExitsTwo_NamingTheChoices(string verb, string flag, string choices)
    {
        string[] rest = verb switch
        {
            "compile" => ["--model", "tiny-moe", "--out", Path.Combine(Path.GetTempPath(), "never-written.pb")],
            "validate" => ["--model", "tiny-moe", "--backend", "cpu"],
            "analyze" => ["--model", "tiny-moe", "--decode", "1"],
            _ => ["--model", "tiny-moe"],
        };
        var r = Cli.Run([verb, .. rest, flag, "sometimes"]);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.ErrLines, Has.Length.EqualTo(1));
        Assert.That(r.Err, Does.Contain($"{flag}: 'sometimes' is not one of {choices}"));
    }

    [Test]
    public void TableDefaults_AreTheCompilersDefaults()
    {
        var compiler = new SystemOptions();
        Assert.That((SystemOptionTables.CoProcessing.Default, SystemOptionTables.MoeParallelism.Default, SystemOptionTables.Placement.Default),
            Is.EqualTo((compiler.CoProcessing, compiler.MoeParallelism, compiler.Placement)));
        Assert.That(SystemOptionTables.Scheduler.Default, Is.EqualTo(new Runtime.Serving.WorkloadOptions().Scheduler));
    }

    [Test]
    public void HelpText_ComesFromTheTable()
    {
        var r = Cli.Run("simulate", "--help");
        Assert.That(r.Out, Does.Contain("prefill-first = ").And.Contain("(default: mixed)").And.Contain("(default: auto)"));
    }
}
