using CoDesign.Reports;

namespace CoDesign.Reports.Tests;

public sealed class RendererTests
{
    sealed record Point(string Name, double ValueS);

    sealed class PointRenderer : Renderer<Point>
    {
        protected override void Table(TextWriter w, Point p) => w.WriteLine($"{p.Name}: {p.ValueS} s");
        protected override void Csv(TextWriter w, Point p) => Reports.Csv.Write(w, ["name", "value_s"], [[p.Name, p.ValueS]]);
    }

    static string Render(OutputFormat f)
    {
        var w = new StringWriter();
        new PointRenderer().Write(w, new Point("a", 1.5), f);
        return w.ToString().ReplaceLineEndings("\n");
    }

    [Test]
    public void Each_format_reaches_its_writer()
    {
        Assert.That(Render(OutputFormat.Table), Is.EqualTo("a: 1.5 s\n"));
        Assert.That(Render(OutputFormat.Csv), Is.EqualTo("name,value_s\na,1.5\n"));
        Assert.That(Render(OutputFormat.Json), Does.Contain("\"value_s\": 1.5"), "JSON by default is the result itself, snake_case");
    }

    [Test]
    public void An_unknown_format_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Render((OutputFormat)99));
}
