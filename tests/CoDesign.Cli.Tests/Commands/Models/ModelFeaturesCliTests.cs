namespace CoDesign.Cli.Tests.Commands.Models;

/// <summary>`codesign models FILE` says what it recognised; configs it would mis-model exit 2 with one line.</summary>
public class ModelFeaturesCliTests
{
    static string Config(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "configs", file);

    [TestCase("deepseek-v2-lite.json", "attention: MLA")]
    [TestCase("mistral-7b-v0.1.json", "sliding-window attention: 4096 tokens on 32 of 32 layers")]
    [TestCase("gemma-2-9b.json", "attention soft-capping 50")]
    public void Models_ListsRecognisedFeatures(string file, string feature)
    {
        var r = Cli.Run("models", Config(file));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
            Assert.That(r.Out, Does.Contain("recognised:").And.Contain(feature));
        }
    }

    [TestCase("refused/bert-base-uncased.json", "encoder")]
    [TestCase("refused/t5-small.json", "encoder-decoder")]
    public void EncoderConfig_ExitsTwoWithOneLine(string file, string why)
    {
        var r = Cli.Run("analyze", "--model", Config(file), "--decode", "8");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1), r.ToString());
            Assert.That(r.Err, Does.Contain(why));
            Assert.That(r.Out, Is.Empty);
        }
    }

    [Test]
    public void SlidingWindowModel_SimulatesLongerThanItsWindow()
    {
        var r = Cli.Run("simulate", "--model", Config("mistral-7b-v0.1.json"), "--hardware", "h100", "--batch", "4",
            "--requests", "4", "--input-len", "6000", "--output-len", "16", "--format", "json");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
    }
}
