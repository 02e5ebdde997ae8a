using CoDesign.Cli.Commands.Analyze;
using CoDesign.Compiler.Analysis;
using CoDesign.Machine;
using CoDesign.Reports;
using CoDesign.Reports.Guards;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Cli.Tests.Guards;

/// <summary>
/// The output guard for tables and free text (issue 16): a NaN or Infinity that reaches the renderer ends the run
/// as an internal error (exit 1) naming the field, with nothing on stdout; a user's own text spelling "NaN" passes.
/// </summary>
public class OutputGuardTests
{
    static StageAnalysis Analysis(double opTimeS, double stageTimeS, string model = "tiny-moe") => new(
        model, "duplex", 1, "decode", 4, 24.1,
        [new OpAnalysis("0-3", 4, "attention.qkv", OpKind.QkvProjection, new OpCounts(1e6, 1e5, 1e3, 0), 0, "xpu", Bound.Memory, opTimeS,
            new Dictionary<string, double> { ["xpu"] = 1e-6 }, 1e-6, "host")],
        stageTimeS, new Dictionary<string, double> { ["xpu"] = 4e-6 }, new Dictionary<string, double> { ["gemm"] = 1 }, 1e-3);

    static CliResult RunBody(Func<CliContext, int> body)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CodesignApp.Guarded(body, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public void NaNInATableCell_ExitsOneNamingColumnAndRow()
    {
        var r = RunBody(ctx => { AnalysisTable.WriteTable(ctx.Out, Analysis(double.NaN, 4e-6)); return 0; });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.InternalFailure), r.ToString());
            Assert.That(r.Out, Is.Empty, "nothing half-printed");
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("internal error").And.Contain("column 'time/layer' of row '0-3'").And.Contain("NaN"));
        }
    }

    [Test]
    public void InfinityInAFreeTextLine_ExitsOneNamingTheLine()
    {
        var r = RunBody(ctx => { AnalysisTable.WriteTable(ctx.Out, Analysis(1e-6, double.PositiveInfinity)); return 0; });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.InternalFailure), r.ToString());
            Assert.That(r.Out, Is.Empty);
            Assert.That(r.Err, Does.Contain("stdout line").And.Contain("stage time").And.Contain("+Infinity"));
        }
    }

    [Test]
    public void NonFiniteInAJsonString_ExitsOneNamingThePath()
    {
        var r = RunBody(ctx => { Json.Write(ctx.Out, new { reason = $"Op/B {Units.Ratio(double.NaN)}" }); return 0; });
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.InternalFailure), r.ToString());
        Assert.That(r.Err, Does.Contain("$.reason"));
    }

    [Test]
    public void NonFiniteInATextFile_IsRefusedBeforeWriting()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("summary.md");
        Assert.Throws<NonFiniteOutputException>(() => AtomicFile.WriteText(path, $"energy {Units.Joules(double.NaN)}\n"));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void FiniteTableAndUserTextSpellingNaN_Pass()
    {
        // A model named "NaN" is the user's text, not a computed value: it must print.
        var r = RunBody(ctx => { AnalysisTable.WriteTable(ctx.Out, Analysis(1e-6, 4e-6, model: "NaN")); return 0; });
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Out, Does.StartWith("NaN on 1 x duplex").And.Contain("stage time 4 µs"));
    }

    [Test]
    public void Units_MarkEveryNonFiniteValue_AndShowAnUnboundedRatioAsDash()
    {
        foreach (var s in new[] { Units.Seconds(double.NaN), Units.Bytes(double.PositiveInfinity), Units.Flops(double.NegativeInfinity),
                     Units.Joules(double.NaN), Units.Percent(double.NaN), Units.Number(double.PositiveInfinity), Units.Ratio(double.NaN),
                     Units.Fixed(double.NaN, "F4"), Units.BytesPerSecond(double.NaN), Units.FlopsPerSecond(double.NaN) })
            Assert.That(s, Does.Contain(Units.NonFiniteMark));
        Assert.That(Units.Ratio(double.PositiveInfinity), Is.EqualTo("-"));
    }
}
