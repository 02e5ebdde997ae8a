using CoDesign.Schema.Validation;

namespace CoDesign.Schema.Tests.Validation;

public class InputTextTests
{
    [Test]
    public void OneLine_CutsALongQuotedToken()
    {
        var line = InputText.OneLine($"unknown model '{new string('x', 500)}'");
        Assert.That(line, Does.Contain("…(+").And.Length.LessThan(200));
    }

    [Test]
    public void OneLine_LeavesTheTextBetweenTwoShortQuotesWhole()
    {
        string m = "model 'mixtral-8x7b' does not fit: 86.99 GiB of weights (+1.13 GiB activations) per device exceed the 80 GiB of " +
                   "'duplex' with 1 device(s)";
        Assert.That(InputText.OneLine(m), Is.EqualTo(m));
    }
}
