// SPDX-License-Identifier: Apache-2.0
// Finds the SystemVerilog, harness and lint files at run time (next to the binaries, else in the checkout).
namespace CoDesign.Rtl.Build;

/// <summary>The rtl/ folder: hw/ (SystemVerilog), harness/ (C++), lint/ (waivers).</summary>
public static class RtlSources
{
    static readonly Lazy<string> _root = new(Locate);

    public static string Root => _root.Value;
    public static string Hw => Path.Combine(Root, "hw");
    public static string Harness => Path.Combine(Root, "harness");
    public static string LintWaivers => Path.Combine(Root, "lint", "verilator.vlt");

    public static string HwFile(string name) => Path.Combine(Hw, name);

    static string Locate()
    {
        var env = Environment.GetEnvironmentVariable("CODESIGN_RTL_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "hw"))) return Path.GetFullPath(env);
        // The build copies rtl/ next to the binaries; a checkout has it at the repository root.
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "rtl");
            if (File.Exists(Path.Combine(candidate, "hw", "cd_pkg.sv"))) return candidate;
        }
        throw new RtlException("cannot find the RTL sources (rtl/hw/cd_pkg.sv); set CODESIGN_RTL_DIR");
    }
}
