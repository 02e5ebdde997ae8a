namespace CoDesign.Cli.Tests;

/// <summary>Runs the CLI in-process with captured stdout and stderr.</summary>
sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Err}";
}

static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CodesignApp.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A fresh empty directory, deleted when the returned handle is disposed.</summary>
    public static TempDir TempDir() => new(Directory.CreateTempSubdirectory("codesign-cli-").FullName);
}

sealed class TempDir(string path) : IDisposable
{
    public string Path { get; } = path;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true); }
}
