using CoDesign.Machine;
using CoDesign.Reports;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;

namespace CoDesign.Cli.Commands.Hardware;

public static class HardwareHandler
{
    public static int Run(string? name, OutputFormat format, bool formatGiven, bool explain, CliContext ctx)
    {
        if (name is not null)
        {
            var hw = HardwareFile.Resolve(name);
            if (!explain && (!formatGiven || format == OutputFormat.Json))
            {
                // The hardware file format itself, so a printed preset is a valid starting file.
                ctx.Out.WriteLine(HardwareFile.ToJson(hw));
                return ExitCodes.Success;
            }
            HardwareExplainTable.Write(ctx.Out, HardwareExplainer.Explain(hw), explain && !formatGiven ? OutputFormat.Table : format);
            return ExitCodes.Success;
        }
        if (explain) throw new InputException("--explain needs a preset name or a hardware file (e.g. codesign hardware --explain duplex)");
        var rows = HardwarePresets.Names.Select(n =>
        {
            var hw = HardwarePresets.Get(n);
            // The efficiency model: each processor's reachable share of its peak on a weight stream.
            var reach = string.Join(", ", new DeviceModel(hw).Processors.Select(p => $"{p.Name} {Units.Percent(p.BytesPerSecond / p.Processor.MemoryBandwidthBytesPerS)}"));
            return (n, hw, procs: string.Join(" + ", hw.Processors.Select(p => p.Name)), reach);
        }).ToList();
        switch (format)
        {
            case OutputFormat.Json:
                Json.Write(ctx.Out, rows.Select(r => new
                {
                    name = r.n,
                    description = r.hw.Description,
                    processors = r.hw.Processors.Select(p => p.Name).ToArray(),
                    weight_stream_efficiency = new DeviceModel(r.hw).Processors.ToDictionary(p => p.Name, p => p.BytesPerSecond / p.Processor.MemoryBandwidthBytesPerS),
                    capacity_bytes = r.hw.Memory.CapacityBytes
                }));
                break;
            case OutputFormat.Csv:
                Csv.Write(ctx.Out, ["name", "processors", "capacity_bytes", "description"],
                    rows.Select(r => (IReadOnlyList<object?>)[r.n, r.procs, r.hw.Memory.CapacityBytes, r.hw.Description]));
                break;
            default:
                var t = new TextTable("preset", "processors", "memory", "reachable bandwidth", "description");
                foreach (var r in rows) t.Add(r.n, r.procs, Units.Bytes(r.hw.Memory.CapacityBytes), r.reach, r.hw.Description);
                t.Write(ctx.Out);
                ctx.Out.WriteLine($"Reachable bandwidth: HBM3 command-timing model (docs/fidelity.md); append '{HardwarePresets.IdealSuffix}' to a preset for the ideal roofline.");
                break;
        }
        return ExitCodes.Success;
    }
}
