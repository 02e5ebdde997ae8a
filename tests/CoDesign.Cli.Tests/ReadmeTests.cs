using System.Text.RegularExpressions;

namespace CoDesign.Cli.Tests;

/// <summary>The README's commands are what a new user types first: they must work.</summary>
public class ReadmeTests
{
    static string Readme()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CoDesign.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "repository root (CoDesign.sln) above the test directory");
        return File.ReadAllText(Path.Combine(dir!.FullName, "README.md"));
    }

    [Test]
    public void EveryCodesignCommandInTheReadme_SucceedsInProcess()
    {
        // Lines such as "./codesign analyze --model ... # comment"; only verbs that write nothing to disk.
        var commands = Regex.Matches(Readme(), @"^\s*\./codesign\s+(?<args>[^#\n]+)", RegexOptions.Multiline)
            .Select(m => m.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(a => a[0] is "analyze" or "models" or "hardware")
            .ToList();
        Assert.That(commands, Is.Not.Empty, "the README shows the main job");
        using (Assert.EnterMultipleScope())
            foreach (var args in commands)
            {
                var r = Cli.Run(args);
                Assert.That(r.ExitCode, Is.Zero, $"./codesign {string.Join(' ', args)}\n{r}");
            }
    }
}
