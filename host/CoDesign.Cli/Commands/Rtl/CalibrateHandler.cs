// SPDX-License-Identifier: Apache-2.0
// Runs the calibration sweep and prints per-shape errors before and after fitting.
using CoDesign.Reports;
using CoDesign.Rtl;
using CoDesign.Rtl.Calibration;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;

namespace CoDesign.Cli.Commands.Rtl;

public static class CalibrateHandler
{
    public static int Run(PimConfig cfg, bool full, int seed, string? write, OutputFormat format, CliContext ctx)
    {
        if (write is not null) AtomicFile.CheckWritable(write);   // before minutes of co-simulation
        var shapes = PimCalibration.Sweep(full);
        // Synchronous reporter: Progress<T> would post to the thread pool and could print after the table.
        var log = new Progress.ProgressLog(ctx.Err, "calibrate", shapes.Count);
        var r = PimCalibration.RunAsync(cfg, shapes, seed, new Reporter(log), ctx.Cancellation).GetAwaiter().GetResult();
        log.Report(shapes.Count);
        if (write is not null) AtomicFile.WriteText(write, HardwareFile.ToJson(r.Calibrated));
        new CalibrateRenderer().Write(ctx.Out, new CalibrateOutput(cfg, r), format);
        return ExitCodes.Success;
    }

    /// <summary>The calibration names each shape as it starts, so the shapes before it are done.</summary>
    sealed class Reporter(Progress.ProgressLog log) : IProgress<string>
    {
        int _started;
        public void Report(string shape) => log.Report(_started++, shape);
    }
}
