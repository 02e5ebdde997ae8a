// SPDX-License-Identifier: Apache-2.0
// Shared guard for tests that need Verilator: a missing tool makes them inconclusive, not failed.
using CoDesign.Rtl.Build;

namespace CoDesign.Rtl.Tests;

public static class VerilatorFixture
{
    public static void RequireVerilator() =>
        Assume.That(ToolLocator.Find("verilator"), Is.Not.Null, "verilator is not installed (tools/setup.sh)");

    /// <summary>The small configuration every co-simulation test uses (K and N tiling both exercised).</summary>
    public static PimConfig Ci(int bundles = 1) => PimConfig.Ci(bundles);
}
