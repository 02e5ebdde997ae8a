using CoDesign.Reports.Guards;

namespace CoDesign.Reports.Tests.Guards;

/// <summary>The output guard names the first non-finite field by its JSON path, and finds NaN/Infinity in finished text.</summary>
public class FiniteCheckTests
{
    sealed record Inner(double TimeS, float[] Samples);
    sealed record Outer(string Name, Inner Stage, Dictionary<string, double> ByOp);

    [Test]
    public void Object_NamesTheFieldByItsPath()
    {
        var ok = new Outer("a", new Inner(1.5, [1f, 2f]), new() { ["attention"] = 0.25 });
        Assert.DoesNotThrow(() => FiniteCheck.Object(ok));

        var e = Assert.Throws<NonFiniteOutputException>(() => FiniteCheck.Object(ok with { Stage = new Inner(double.NaN, []) }))!;
        Assert.That(e.Message, Does.Contain("$.stage.time_s"));
        e = Assert.Throws<NonFiniteOutputException>(() => FiniteCheck.Object(ok with { Stage = new Inner(0, [1f, float.PositiveInfinity]) }))!;
        Assert.That(e.Message, Does.Contain("$.stage.samples[1]"));
        e = Assert.Throws<NonFiniteOutputException>(() => FiniteCheck.Object(ok with { ByOp = new() { ["moe"] = double.NegativeInfinity } }))!;
        Assert.That(e.Message, Does.Contain("$.by_op.moe"));
    }

    [TestCase("time  NaN s")]
    [TestCase("ratio -Infinity")]
    [TestCase("x = ∞")]
    public void Text_FindsNonFiniteTokens_AndNamesTheLine(string bad)
    {
        var e = Assert.Throws<NonFiniteOutputException>(() => FiniteCheck.Text("header\nok 1.0\n" + bad + "\n", "stdout"))!;
        Assert.That(e.Message, Does.Contain("stdout line 3"));
    }

    [TestCase("NaNo is a word, not a number")]
    [TestCase("Infinityband and MyNaN are identifiers")]
    [TestCase("1e308 is finite")]
    public void Text_LeavesWordsThatMerelyContainTheLetters(string fine) =>
        Assert.DoesNotThrow(() => FiniteCheck.Text(fine, "stdout"));
}
