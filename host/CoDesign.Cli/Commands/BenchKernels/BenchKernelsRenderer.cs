using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.BenchKernels;

/// <summary>What <c>bench-kernels</c> prints: each kernel against the hardware file peaks.</summary>
public sealed class BenchKernelsRenderer : Renderer<BenchKernelsHandler.Report>
{
    protected override void Table(TextWriter w, BenchKernelsHandler.Report report)
    {
        w.WriteLine($"{report.Device} ({report.DateUtc}); peaks of {report.PeakFrom}: {Units.BytesPerSecond(report.PeakBytesPerSecond)}, {Units.FlopsPerSecond(report.PeakFp16FlopsPerSecond)} fp16");
        var t = new TextTable("kernel", "shape", "time/launch", "bandwidth", "of peak", "FLOP/s", "of peak");
        foreach (var r in report.Kernels)
            t.Add(r.Kernel, r.Shape, Units.Seconds(r.SecondsPerLaunch), Units.BytesPerSecond(r.BytesPerSecond), Units.Percent(r.BandwidthFraction),
                Units.FlopsPerSecond(r.FlopsPerSecond), Units.Percent(r.ComputeFraction));
        t.Write(w);
    }

    protected override void Csv(TextWriter w, BenchKernelsHandler.Report report)
    {
        Reports.Csv.Write(w, ["kernel", "shape", "iterations", "seconds_per_launch", "bytes", "bytes_per_second", "bandwidth_fraction", "flops", "flops_per_second", "compute_fraction"],
            report.Kernels.Select(r => (IReadOnlyList<object?>)[r.Kernel, r.Shape, r.Iterations, r.SecondsPerLaunch, r.Bytes, r.BytesPerSecond, r.BandwidthFraction, r.Flops, r.FlopsPerSecond, r.ComputeFraction]));
    }
}
