using System.Diagnostics;
using CoDesign.Schema;

namespace CoDesign.Cli.Progress;

/// <summary>
/// Progress for logs and pipes, where a live bar cannot redraw: one stderr line each time another
/// <paramref name="stepPercent"/> % of the work is done, with the count, elapsed time and an ETA extrapolated from the
/// rate so far. Thread-safe: parallel workers report as they finish.
/// </summary>
public sealed class ProgressLog(TextWriter err, string label, int total, double stepPercent = 10)
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly Lock _lock = new();
    double _nextPercent;

    public void Report(int done, string? item = null)
    {
        lock (_lock)
        {
            double percent = total > 0 ? 100.0 * done / total : 100;
            if (percent < _nextPercent && done < total) return;
            _nextPercent = (Math.Floor(percent / stepPercent) + 1) * stepPercent;
            double elapsed = _clock.Elapsed.TotalSeconds;
            string eta = done <= 0 ? "ETA unknown" : done >= total ? "done" : $"ETA {Units.Seconds(elapsed / done * (total - done))}";
            err.WriteLine($"{label}: {done}/{total} ({percent:0} %), {Units.Seconds(elapsed)} elapsed, {eta}{(item is null ? "" : $" [{item}]")}");
        }
    }
}
