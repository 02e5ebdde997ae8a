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
        switch (format)
        {
            case OutputFormat.Json:
                Json.Write(ctx.Out, new
                {
                    config = cfg.Name,
                    bundles = cfg.Bundles,
                    bandwidth_efficiency = r.BandwidthEfficiency,
                    compute_efficiency = r.BandwidthEfficiency,
                    op_overhead_s = r.OpOverheadSeconds,
                    max_abs_error = r.MaxAbsError,
                    max_abs_calibrated_error = r.MaxAbsCalibratedError,
                    shapes = r.Rows.Select(x => new
                    {
                        shape = x.Shape.Label,
                        m = x.Shape.M,
                        k = x.Shape.K,
                        n = x.Shape.N,
                        rtl_cycles = x.RtlCycles,
                        rtl_seconds = x.RtlSeconds,
                        analytic_seconds = x.AnalyticSeconds,
                        error = x.Error,
                        calibrated_seconds = x.CalibratedSeconds,
                        calibrated_error = x.CalibratedError,
                        bandwidth_utilisation = x.BandwidthUtilisation,
                    }),
                });
                break;
            case OutputFormat.Csv:
                Csv.Write(ctx.Out, ["shape", "m", "k", "n", "rtl_cycles", "rtl_seconds", "analytic_seconds", "error", "calibrated_seconds", "calibrated_error", "bandwidth_utilisation"],
                    r.Rows.Select(x => (IReadOnlyList<object?>)[x.Shape.Label, x.Shape.M, x.Shape.K, x.Shape.N, x.RtlCycles, x.RtlSeconds,
                        x.AnalyticSeconds, x.Error, x.CalibratedSeconds, x.CalibratedError, x.BandwidthUtilisation]));
                break;
            default:
                var t = new TextTable("shape", "RTL cycles", "RTL time", "analytic", "error", "calibrated", "error", "BW use")
                { Title = $"Logic-PIM analytic model vs RTL ({cfg.Name}, {cfg.Bundles} bundle(s))" };
                foreach (var i in new[] { 1, 2, 3, 4, 5, 6, 7 }) t.RightAligned.Add(i);
                foreach (var x in r.Rows)
                    t.Add(x.Shape.Label, x.RtlCycles.ToString(), Units.Seconds(x.RtlSeconds), Units.Seconds(x.AnalyticSeconds),
                        Pct(x.Error), Units.Seconds(x.CalibratedSeconds), Pct(x.CalibratedError), Units.Fixed(x.BandwidthUtilisation, "P1"));
                t.Write(ctx.Out);
                ctx.Out.WriteLine($"fitted: bandwidth_efficiency = compute_efficiency = {Units.Fixed(r.BandwidthEfficiency, "F4")}, op_overhead_s = {Units.Fixed(r.OpOverheadSeconds, "E3")}");
                ctx.Out.WriteLine($"worst error: {Units.Fixed(r.MaxAbsError, "P1")} before, {Units.Fixed(r.MaxAbsCalibratedError, "P1")} after calibration");
                break;
        }
        return ExitCodes.Success;
    }

    /// <summary>The calibration names each shape as it starts, so the shapes before it are done.</summary>
    sealed class Reporter(Progress.ProgressLog log) : IProgress<string>
    {
        int _started;
        public void Report(string shape) => log.Report(_started++, shape);
    }

    static string Pct(double x) => Units.Fixed(Math.Round(x, 3), "+0.0%;-0.0%;0.0%");
}
