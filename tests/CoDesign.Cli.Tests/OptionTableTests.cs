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

/// <summary>Backends come from one table in the host, the analytic one by name like the others.</summary>
public class BackendTableTests
{
    [Test]
    public void EveryBackendIsFoundByName()
    {
        Assert.That(Backends.BackendTable.Names, Is.EqualTo(new[] { "analytic", "reference", "cpu", "gpu", "rtl" }));
        using var cpu = Backends.BackendTable.Tensor("CPU")();
        Assert.That(cpu, Is.InstanceOf<Runtime.Tensors.Backends.CpuBackend>());
    }

    [TestCase("simulate", "cpu", "runs tensors")]
    [TestCase("simulate", "quantum", "unknown backend 'quantum' (expected one of analytic, reference, cpu, gpu, rtl)")]
    [TestCase("run", "analytic", "runs no tensors")]
    [TestCase("run", "quantum", "unknown backend 'quantum'")]
    public void AWrongKindOrUnknownBackend_ExitsTwo(string verb, string backend, string mention)
    {
        var r = Cli.Run(verb, "--model", "tiny-moe", "--backend", backend);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
        Assert.That(r.ErrLines, Has.Length.EqualTo(1));
        Assert.That(r.Err, Does.Contain(mention));
    }

    [Test]
    public void SimulateByNameAnalytic_IsTheDefault()
    {
        string[] args = ["simulate", "--model", "tiny-moe", "--batch", "2", "--requests", "2", "--input-len", "8", "--output-len", "2", "--format", "csv"];
        Assert.That(Cli.Run([.. args, "--backend", "analytic"]).Out, Is.EqualTo(Cli.Run(args).Out).And.Contain("tiny-moe"));
    }
}
