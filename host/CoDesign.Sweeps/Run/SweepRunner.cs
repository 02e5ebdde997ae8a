using System.Collections.Concurrent;
using System.Diagnostics;
using CoDesign.Compiler.Emit;
using CoDesign.Schema;
using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Run;

public sealed record SweepOutcome(int Total, int AlreadyDone, int Ran, int Errors, int InternalFailures, bool Complete, TimeSpan Elapsed,
    IReadOnlyList<string> FailureMessages);

/// <summary>
/// Runs points in parallel and appends each row as it finishes. On start it reads the results file and skips
/// the ids already there, so a sweep killed at any moment and started again neither loses nor repeats a point.
/// When every selected point is done the file is rewritten in canonical order, so its bytes do not depend on
/// thread scheduling.
/// </summary>
public sealed class SweepRunner(IPointRunner runner)
{
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>The user confirmed a long run (--allow-long-run): each point's own work bound is lifted too.</summary>
    public bool AllowLongRun { get; init; }

    /// <summary>Called after each point with (done, total) over the selected points, from worker threads.</summary>
    public Action<int, int>? Progress { get; init; }

    public SweepOutcome Run(IReadOnlyList<SweepPoint> points, string resultsPath, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        using var exclusive = new ResultsLock(resultsPath);
        var loaded = ResultsFile.Load(resultsPath);
        var done = loaded.Rows.Select(r => r.Id).ToHashSet();
        var todo = points.Where(p => !done.Contains(p.Id)).ToList();
        int already = points.Count - todo.Count;
        var prepared = Prepare(todo);   // resolves every model and hardware first: bad input fails before any work

        int ran = 0, errors = 0;
        var failures = new ConcurrentQueue<string>();
        Progress?.Invoke(already, points.Count);
        using (var appender = new ResultsAppender(resultsPath, loaded.ValidLength))
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallelism), CancellationToken = ct };
            // Longest first (most tokens) so the last worker is not left with the slowest point.
            var order = todo.OrderByDescending(Cost).ThenBy(p => p.Index).ToList();
            Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), options, p =>
            {
                var row = Execute(p, prepared[PointSettings.CompileKey(p)], out var failure);
                if (row is null) { failures.Enqueue($"point {p.Index} ({p.Id}): {failure}"); return; }
                appender.Append(row);
                if (!row.Ok) Interlocked.Increment(ref errors);
                int n = Interlocked.Increment(ref ran);
                Progress?.Invoke(already + n, points.Count);
            });
        }
        bool complete = failures.IsEmpty;
        if (complete && (ran > 0 || loaded.TruncatedTail || !IsCanonical(loaded.Rows)))
            ResultsFile.WriteAll(resultsPath, ResultsFile.Canonical(ResultsFile.Load(resultsPath).Rows));
        return new SweepOutcome(points.Count, already, ran, errors, failures.Count, complete, clock.Elapsed, failures.ToList());
    }

    static bool IsCanonical(IReadOnlyList<ResultRow> rows) => rows.SequenceEqual(ResultsFile.Canonical(rows));

    static double Cost(SweepPoint p) =>
        (double)(p.Integer("requests") ?? p.Integer("batch") ?? 1) * ((p.Integer("input_len") ?? 1024) + (p.Integer("output_len") ?? 1024));

    /// <summary>What points with one compile key share: the resolved model and hardware, and one compilation.</summary>
    sealed class Prepared(Schema.V1.ModelConfig model, Schema.V1.Hardware hardware, SweepPoint first)
    {
        public Schema.V1.ModelConfig Model { get; } = model;
        public Schema.V1.Hardware Hardware { get; } = hardware;
        public string HardwareSha256 { get; } = PointSettings.HardwareSha256(hardware);
        public Lazy<(Schema.V1.Program? Program, string? Error)> Program { get; } = new(() =>
        {
            try { return (ProgramCompiler.Compile(model, hardware, PointSettings.ResolveSystem(first)), null); }
            catch (InputException e) { return (null, e.Message); }
        });
    }

    static Dictionary<string, Prepared> Prepare(IEnumerable<SweepPoint> points)
    {
        var map = new Dictionary<string, Prepared>();
        foreach (var p in points)
        {
            var key = PointSettings.CompileKey(p);
            if (!map.ContainsKey(key)) map[key] = new Prepared(PointSettings.ResolveModel(p), PointSettings.ResolveHardware(p), p);
        }
        return map;
    }

    ResultRow? Execute(SweepPoint p, Prepared prep, out string? failure)
    {
        failure = null;
        var provenance = new Provenance(prep.Model.Name, prep.Hardware.Name, PointSettings.HardwareSource(p), prep.HardwareSha256,
            PointSettings.Seed(p), ProgramCompiler.Version);
        ResultRow Row(string status, string? error, Runtime.Serving.SimulationResult? result) => new()
        {
            Id = p.Id,
            Index = p.Index,
            Group = p.Group,
            System = PointSettings.SystemLabel(p),
            Choices = new Dictionary<string, string>(p.Choices),
            Params = new SortedDictionary<string, object>(p.Params.ToDictionary(), StringComparer.Ordinal),
            BaselineId = p.BaselineId,
            Provenance = provenance,
            Status = status,
            Error = error,
            Result = result,
        };
        var (program, compileError) = prep.Program.Value;
        if (program is null) return Row("error", compileError, null);
        try { return Row("ok", null, runner.Run(program, PointSettings.Workload(p) with { AllowLongRun = AllowLongRun })); }
        catch (InputException e) { return Row("error", e.Message, null); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug, not an answer: not written, so a rerun tries again; the sweep ends with exit 1.
            failure = $"{e.GetType().Name}: {e.Message}";
            return null;
        }
    }
}
