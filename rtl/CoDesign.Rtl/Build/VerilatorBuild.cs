// SPDX-License-Identifier: Apache-2.0
// Builds Verilated executables through CliWrap into a cache keyed by a hash of sources, parameters and flags.
using System.Security.Cryptography;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace CoDesign.Rtl.Build;

/// <summary>
/// Verilates and compiles a model once per distinct (sources, parameters, flags, Verilator version);
/// later calls return the cached executable. Builds go to a private folder that is renamed into place,
/// so concurrent processes never see half a build.
/// </summary>
public static class VerilatorBuild
{
    /// <summary>Flags shared by every build, each for a reason: -Wall is the lint gate; -O3 and fast X
    /// handling give ~2x simulation speed (shared/notes/toolchain.md §7.10); assertions stay on.</summary>
    static readonly string[] CommonFlags =
        ["--cc", "--exe", "--build", "-j", "2", "-Wall", "-O3", "--x-assign", "fast", "--x-initial", "fast",
         "--assert", "-MAKEFLAGS", "OPT_FAST=-O3"];

    public static string CacheRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("CODESIGN_CACHE_DIR");
            if (!string.IsNullOrEmpty(env)) return Path.Combine(env, "rtl");
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var baseDir = !string.IsNullOrEmpty(xdg) ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDir, "codesign", "rtl");
        }
    }

    static string? _version;

    /// <summary>Path of the built executable (building it first when the cache lacks it).</summary>
    public static async Task<string> EnsureBuiltAsync(VerilatorModel model, CancellationToken ct = default)
    {
        var verilator = ToolLocator.Require("verilator", "verilator ccache");
        _version ??= (await CliWrap.Cli.Wrap(verilator).WithArguments("--version")
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct)).StandardOutput.Trim();
        bool ccache = ToolLocator.Find("ccache") is not null;
        string key = Key(model, _version);
        string dir = Path.Combine(CacheRoot, key);
        string exe = Path.Combine(dir, model.ExeName);
        if (File.Exists(exe)) return exe;

        Directory.CreateDirectory(CacheRoot);
        string tmp = Path.Combine(CacheRoot, $"{key}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            var args = new List<string>(CommonFlags) { "--top-module", model.Top, "--Mdir", Path.Combine(tmp, "obj"),
                "-CFLAGS", "-I" + RtlSources.Harness, "-o", model.ExeName };
            if (ccache) args.AddRange(["-MAKEFLAGS", "OBJCACHE=ccache"]);
            if (model.Trace) args.Add("--trace-fst");
            // Position-independent, self-bound calls inside the library: ~1.5x faster per cycle (toolchain.md §5).
            if (model.SharedLibrary)
                args.AddRange(["-CFLAGS", "-fPIC", "-CFLAGS", "-fno-semantic-interposition", "-LDFLAGS", "-shared", "-LDFLAGS", "-Wl,-Bsymbolic"]);
            foreach (var p in model.Parameters) args.Add("-G" + p);
            args.Add(RtlSources.LintWaivers);
            args.AddRange(model.Sources);
            var r = await CliWrap.Cli.Wrap(verilator).WithArguments(args).WithWorkingDirectory(tmp)
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
            if (r.ExitCode != 0)
            {
                var first = (r.StandardError + "\n" + r.StandardOutput).Split('\n')
                    .FirstOrDefault(l => l.Contains("%Error") || l.Contains("%Warning") || l.Contains("error:"))
                    ?? "exit code " + r.ExitCode;
                throw new RtlException($"verilator build of {model.Top} failed: {first.Trim()}");
            }
            File.Copy(Path.Combine(tmp, "obj", model.ExeName), Path.Combine(tmp, model.ExeName));
            Directory.Delete(Path.Combine(tmp, "obj"), recursive: true);
            try { Directory.Move(tmp, dir); }
            catch (IOException) when (File.Exists(exe)) { /* another process won the race with the same build */ }
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
        return exe;
    }

    /// <summary>SHA-256 over the Verilator version, flags, top, parameters and every source file's bytes.</summary>
    public static string Key(VerilatorModel model, string verilatorVersion)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) { h.AppendData(Encoding.UTF8.GetBytes(s)); h.AppendData([0]); }
        Add(verilatorVersion);
        foreach (var f in CommonFlags) Add(f);
        Add(model.Top);
        Add(model.Trace ? "trace" : "notrace");
        Add(model.SharedLibrary ? "shared" : "exe");
        foreach (var p in model.Parameters) Add(p);
        var files = model.Sources.Append(RtlSources.LintWaivers)
            .Concat(Directory.EnumerateFiles(RtlSources.Harness, "*.h", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        foreach (var f in files)
        {
            Add(Path.GetFileName(f));
            h.AppendData(File.ReadAllBytes(f));
        }
        return Convert.ToHexString(h.GetHashAndReset())[..20].ToLowerInvariant();
    }
}
