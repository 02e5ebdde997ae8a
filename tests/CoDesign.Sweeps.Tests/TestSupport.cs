using System.Diagnostics;
using CoDesign.Cli;

namespace CoDesign.Sweeps.Tests;

static class TestSupport
{
    /// <summary>A small, fast sweep on the tiny models: 2 batches x 2 hardware x 2 seeds, normalised to h100.</summary>
    public const string SmallSweep = """
        {
          "name": "small",
          "fixed": { "model": "tiny-moe", "requests": 8, "input_len": 64, "output_len": 32, "length_std": 0.25 },
          "axes": { "batch": [4, 8], "hardware": ["h100", "duplex"], "seed": [1, 2] },
          "baseline": { "hardware": "h100" }
        }
        """;

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "codesign-sweeps-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(d);
        return d;
    }

    public static string Write(string dir, string name, string text)
    {
        var p = Path.Combine(dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    /// <summary>Runs the CLI in-process, as the tests of every verb do.</summary>
    public static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CodesignApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>The CLI as a child process (`dotnet codesign.dll …`), for tests that must kill it.</summary>
    public static Process Start(string workDir, params string[] args)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "codesign.dll");
        Assume.That(File.Exists(dll), Is.True, $"{dll} not built next to the tests");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "1";   // no progress bar
        return Process.Start(psi)!;
    }

    public static int CountLines(string path)
    {
        if (!File.Exists(path)) return 0;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        int n = 0, b;
        while ((b = fs.ReadByte()) >= 0) if (b == '\n') n++;
        return n;
    }
}
