namespace CoDesign.Cli.Tests;

/// <summary>The CLI contract every verb shares: results on stdout, one-line errors on stderr, exit 0 / 2 / 1.</summary>
public class CodesignAppTests
{
    [Test]
    public void Help_ExitsZeroWithUsageOnStdout()
    {
        var r = Cli.Run("--help");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.Zero);
            Assert.That(r.Out, Does.Contain("analyze").And.Contain("compile").And.Contain("models").And.Contain("hardware"));
            Assert.That(r.Err, Is.Empty);
        }
    }

    [Test]
    public void UnknownVerb_ExitsTwoNamingIt()
    {
        var r = Cli.Run("simulate-everything");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1), r.ToString());
            Assert.That(r.Err, Does.Contain("simulate-everything"));
        }
    }

    [Test]
    public void NoVerb_ExitsTwo()
    {
        var r = Cli.Run();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1), r.ToString());
        }
    }

    [Test]
    public void MissingRequiredModel_ExitsTwoNamingTheOption()
    {
        var r = Cli.Run("analyze", "--decode", "4");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("--model"));
        }
    }
}
