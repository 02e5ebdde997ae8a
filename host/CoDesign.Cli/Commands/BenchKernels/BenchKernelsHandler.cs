using CoDesign.Machine;
using CoDesign.Reports;
using CoDesign.Runtime.Gpu;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Cli.Commands.BenchKernels;

public static class BenchKernelsHandler
{
    public sealed record Row(string Kernel, string Shape, int Iterations, double SecondsPerLaunch, double Bytes, double BytesPerSecond,
        double BandwidthFraction, double Flops, double FlopsPerSecond, double ComputeFraction);

    public sealed record Report(string Device, bool Cuda, string DateUtc, string PeakFrom, double PeakBytesPerSecond, double PeakFp16FlopsPerSecond, IReadOnlyList<Row> Kernels);

    public static int Run(int k, int n, int heads, int kvHeads, int headDim, int context, int iterations, string hardware, OutputFormat format, CliContext ctx)
    {
        if (k < 1 || n < 1 || heads < 1 || kvHeads < 1 || headDim < 1 || context < 1 || iterations < 1)
            throw new InputException("bench-kernels: every size and --iterations must be positive");
        if (heads % kvHeads != 0) throw new InputException($"--kv-heads {kvHeads} does not divide --heads {heads}");
        var host = new DeviceModel(HardwareFile.Resolve(hardware)).Host;
        // Peaks as the hardware file states them (bandwidth_efficiency is a model input, not the device's peak).
        double peakBw = host.Processor.MemoryBandwidthBytesPerS;
        double peakFlops = host.Processor.Peak.FirstOrDefault(p => p.DataType == DataType.Fp16)?.FlopsPerS ?? host.Processor.Peak.Max(p => p.FlopsPerS);
        using var gpu = new IlgpuBackend();
        var timings = new[]
        {
            KernelBench.DecodeGemv(gpu, n, k, iterations, ctx.Cancellation),
            KernelBench.DecodeAttention(gpu, heads, kvHeads, headDim, context, iterations, ctx.Cancellation),
        };
        var rows = timings.Select(t => new Row(t.Kernel, t.Shape, t.Iterations, t.SecondsPerLaunch, t.Bytes, t.BytesPerSecond,
            t.BytesPerSecond / peakBw, t.Flops, t.FlopsPerSecond, t.FlopsPerSecond / peakFlops)).ToList();
        var report = new Report(gpu.Device, gpu.IsCuda, DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"), $"{hardware} ({host.Name})", peakBw, peakFlops, rows);
        new BenchKernelsRenderer().Write(ctx.Out, report, format);
        return ExitCodes.Success;
    }
}
