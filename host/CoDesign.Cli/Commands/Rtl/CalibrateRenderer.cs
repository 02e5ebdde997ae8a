using CoDesign.Reports;
using CoDesign.Rtl;
using CoDesign.Rtl.Calibration;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Rtl;

/// <summary>A calibration run: the configuration and its per-shape errors before and after fitting.</summary>
public sealed record CalibrateOutput(PimConfig Config, CalibrationResult Result);

/// <summary>What <c>rtl calibrate</c> prints.</summary>
public sealed class CalibrateRenderer : Renderer<CalibrateOutput>
{
    protected override void Table(TextWriter w, CalibrateOutput o)
    {
        var (cfg, r) = (o.Config, o.Result);
        var t = new TextTable("shape", "RTL cycles", "RTL time", "analytic", "error", "calibrated", "error", "BW use")
        { Title = $"Logic-PIM analytic model vs RTL ({cfg.Name}, {cfg.Bundles} bundle(s))" };
        foreach (var i in new[] { 1, 2, 3, 4, 5, 6, 7 }) t.RightAligned.Add(i);
        foreach (var x in r.Rows)
            t.Add(x.Shape.Label, x.RtlCycles.ToString(), Units.Seconds(x.RtlSeconds), Units.Seconds(x.AnalyticSeconds),
                Pct(x.Error), Units.Seconds(x.CalibratedSeconds), Pct(x.CalibratedError), Units.Fixed(x.BandwidthUtilisation, "P1"));
        t.Write(w);
        w.WriteLine($"fitted: bandwidth_efficiency = compute_efficiency = {Units.Fixed(r.BandwidthEfficiency, "F4")}, op_overhead_s = {Units.Fixed(r.OpOverheadSeconds, "E3")}");
        w.WriteLine($"worst error: {Units.Fixed(r.MaxAbsError, "P1")} before, {Units.Fixed(r.MaxAbsCalibratedError, "P1")} after calibration");
    }

    protected override void Json(TextWriter w, CalibrateOutput o)
    {
        var (cfg, r) = (o.Config, o.Result);
        Reports.Json.Write(w, new
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
    }

    protected override void Csv(TextWriter w, CalibrateOutput o)
    {
        var r = o.Result;
        Reports.Csv.Write(w, ["shape", "m", "k", "n", "rtl_cycles", "rtl_seconds", "analytic_seconds", "error", "calibrated_seconds", "calibrated_error", "bandwidth_utilisation"],
            r.Rows.Select(x => (IReadOnlyList<object?>)[x.Shape.Label, x.Shape.M, x.Shape.K, x.Shape.N, x.RtlCycles, x.RtlSeconds,
                x.AnalyticSeconds, x.Error, x.CalibratedSeconds, x.CalibratedError, x.BandwidthUtilisation]));
    }

    static string Pct(double x) => Units.Fixed(Math.Round(x, 3), "+0.0%;-0.0%;0.0%");
}
