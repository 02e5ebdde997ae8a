using System.Text.RegularExpressions;

namespace CoDesign.Cli.Tests;

/// <summary>The README's commands are what a new user types first: they must work.</summary>
public class ReadmeTests
{
    static string Root()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CoDesign.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "repository root (CoDesign.sln) above the test directory");
        return dir!.FullName;
    }

    static string Readme() => File.ReadAllText(Path.Combine(Root(), "README.md"));

    [Test]
    public void EveryCodesignCommandInTheReadme_SucceedsInProcess()
    {
        // Lines such as "./codesign analyze --model ... # comment"; only verbs that write nothing to disk.
        var commands = Regex.Matches(Readme(), @"^\s*\./codesign\s+(?<args>[^#\n>|]+)", RegexOptions.Multiline)
            .Select(m => m.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(a => a[0] is "analyze" or "models" or "hardware" or "simulate")
            .Where(a => !a.Any(x => x is "--out" or "--stages-csv" or "--trace"))
            .ToList();
        Assert.That(commands, Is.Not.Empty, "the README shows the main job");
        // README paths are relative to the repository root, where a user types them.
        var cwd = Environment.CurrentDirectory;
        Environment.CurrentDirectory = Root();
        try
        {
            using (Assert.EnterMultipleScope())
                foreach (var args in commands)
                {
                    var r = Cli.Run(args);
                    Assert.That(r.ExitCode, Is.Zero, $"./codesign {string.Join(' ', args)}\n{r}");
                }
        }
        finally { Environment.CurrentDirectory = cwd; }
    }
}
