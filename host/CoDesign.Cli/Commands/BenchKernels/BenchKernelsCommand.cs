using System.CommandLine;

namespace CoDesign.Cli.Commands.BenchKernels;

/// <summary><c>codesign bench-kernels</c>: decode GEMV and decode attention kernel timings of the gpu backend against a device's peaks.</summary>
public static class BenchKernelsCommand
{
    public static Command Create(CliContext ctx)
    {
        Option<int> Int(string name, string what, int dflt) => new(name) { Description = what, DefaultValueFactory = _ => dflt };
        var k = Int("--k", "GEMV input width (hidden size)", 4096);
        var n = Int("--n", "GEMV output width (e.g. an expert's intermediate size)", 14336);
        var heads = Int("--heads", "Attention query heads", 32);
        var kvHeads = Int("--kv-heads", "Attention KV heads", 8);
        var headDim = Int("--head-dim", "Attention head size", 128);
        var context = Int("--context", "Decode context length (cached positions)", 4096);
        var iterations = Int("--iterations", "Timed launches per kernel (median reported)", 20);
        var hardware = CommonOptions.Hardware();
        hardware.DefaultValueFactory = _ => "h100";
        hardware.Description = "Hardware whose GPU/xPU peaks the measurements are compared with (default h100)";
        var format = CommonOptions.Format();
        var cmd = new Command("bench-kernels", "Time the gpu backend's decode GEMV and decode attention kernels on device-resident buffers; " +
            "report bandwidth and FLOP/s against the device's peak (CUDA when present, else ILGPU's CPU accelerator)")
            { k, n, heads, kvHeads, headDim, context, iterations, hardware, format };
        cmd.SetAction(p => BenchKernelsHandler.Run(p.GetValue(k), p.GetValue(n), p.GetValue(heads), p.GetValue(kvHeads), p.GetValue(headDim),
            p.GetValue(context), p.GetValue(iterations), p.GetValue(hardware)!, p.GetValue(format), ctx));
        return cmd;
    }
}
