using CoDesign.Reports.Guards;

namespace CoDesign.Reports.Tests;

public class CsvTests
{
    [Test]
    public void Write_QuotesPerRfc4180_AndPrintsNumbersInvariant()
    {
        var w = new StringWriter { NewLine = "\n" };
        Csv.Write(w, ["name", "time_s", "ok"], [["a,b", 0.1, true], ["say \"hi\"", 1e-9, false]]);
        Assert.That(w.ToString(), Is.EqualTo("name,time_s,ok\n\"a,b\",0.1,true\n\"say \"\"hi\"\"\",1E-09,false\n"));
    }

    [Test]
    public void Write_ANonFiniteCell_NamesItsColumnAndRow_AndWritesNothing()
    {
        var w = new StringWriter();
        var e = Assert.Throws<NonFiniteOutputException>(() => Csv.Write(w, ["name", "energy_j"], [["a", 1.0], ["b", double.NaN]]))!;
        Assert.That(e.Message, Does.Contain("energy_j (row 2)"));
        Assert.That(w.ToString(), Is.Empty);
    }
}
