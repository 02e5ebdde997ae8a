using CoDesign.Machine;
using CoDesign.Reports;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;

namespace CoDesign.Cli.Commands.Hardware;

public static class HardwareHandler
{
    public static int Run(string? name, OutputFormat format, bool formatGiven, bool explain, CliContext ctx)
    {
        var renderer = new HardwareRenderer();
        if (name is not null)
        {
            var hw = HardwareFile.Resolve(name);
            if (!explain && (!formatGiven || format == OutputFormat.Json))
                renderer.Write(ctx.Out, new HardwareOutput(null, null, hw), OutputFormat.Json);
            else
                renderer.Write(ctx.Out, new HardwareOutput(null, HardwareExplainer.Explain(hw), null), explain && !formatGiven ? OutputFormat.Table : format);
            return ExitCodes.Success;
        }
        if (explain) throw new InputException("--explain needs a preset name or a hardware file (e.g. codesign hardware --explain duplex)");
        var presets = HardwarePresets.Names.Select(n =>
        {
            var hw = HardwarePresets.Get(n);
            var reach = new DeviceModel(hw).Processors.ToDictionary(p => p.Name, p => p.BytesPerSecond / p.Processor.MemoryBandwidthBytesPerS);
            return new HardwareOutput.Preset(n, hw.Description, hw.Processors.Select(p => p.Name).ToList(), reach, hw.Memory.CapacityBytes);
        }).ToList();
        renderer.Write(ctx.Out, new HardwareOutput(presets, null, null), format);
        return ExitCodes.Success;
    }
}
