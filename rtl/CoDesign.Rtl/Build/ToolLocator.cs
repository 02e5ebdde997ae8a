// SPDX-License-Identifier: Apache-2.0
// Finds external tools on PATH and turns a missing one into a one-line error with its install command.
using CoDesign.Schema;

namespace CoDesign.Rtl.Build;

public static class ToolLocator
{
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>The tool's path; missing → InputException (exit 2) naming the Debian package to install.</summary>
    public static string Require(string name, string debianPackage) =>
        Find(name) ?? throw new InputException(
            $"{name} not found on PATH: install it with 'sudo apt-get install -y --no-install-recommends {debianPackage}' (or run tools/setup.sh)");
}
