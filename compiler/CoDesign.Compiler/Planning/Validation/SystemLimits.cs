using CoDesign.Schema;
using CoDesign.Schema.Validation;

namespace CoDesign.Compiler.Planning.Validation;

/// <summary>
/// The allowed size of a system (docs/input-limits.md). Our choice: 1,024 devices is 128 nodes of 8, past the
/// largest system the Duplex paper evaluates (docs/reference/duplex-spec.md) by far, and keeps every per-device
/// product in range; a larger request is a typo, not a design point.
/// </summary>
public static class SystemLimits
{
    public static readonly Limit Devices = Limit.Int(1, 1024, "devices");

    public static void Check(SystemOptions o)
    {
        // Below 1 is left to SystemPlanner, which says so in its own words.
        if (o.Devices > Devices.Max) throw new InputException($"{Setting.Ref("devices")} {o.Devices} is not allowed (expected {Devices.Text})");
    }
}
