using CoDesign.Machine.Stages;
using CoDesign.Runtime.Backends;

namespace CoDesign.Runtime.Serving;

/// <summary>
/// The steady state of a run (docs/reference/duplex-spec.md §4.6: warm-up and drain excluded). Warm-up ends when
/// <paramref name="warmupCompletions"/> requests have finished (closed loop: one batch, so the first wave that
/// arrived together has been replaced; open loop: a tenth of the requests, at most one batch). Drain begins when
/// a freed slot can no longer be refilled (closed loop) or the last request has arrived (open loop). Throughput,
/// energy, TBT count only stages inside; TTFT and E2E count requests that arrived inside (whenever they finish,
/// so long requests are not dropped). <see cref="Valid"/> is false when the run is too short to have one.
/// </summary>
public sealed class SteadyWindow(int warmupCompletions, int requests)
{
    public double StartS { get; private set; } = double.NaN;
    public double EndS { get; private set; } = double.NaN;
    public bool IsOpen => !double.IsNaN(StartS) && double.IsNaN(EndS);
    public int Stages { get; private set; }
    public long OutputTokens { get; private set; }
    public double TimeS { get; private set; }
    public double BatchTimeIntegral { get; private set; }
    public readonly double[] EnergyJ = new double[7];
    public readonly LatencyStats Ttft = new(requests), Tbt = new(requests * 16), E2e = new(requests);

    /// <summary>Per stage kind (0 decode-only, 1 mixed): stages and busy seconds by operator group.</summary>
    readonly int[] _kindStages = new int[2];
    readonly double[] _kindStageS = new double[2];
    readonly double[][] _kindGroupS = [new double[OpGroups.Names.Length], new double[OpGroups.Names.Length]];

    /// <summary>A window open from the start that never closes (its latency samples stay empty).</summary>
    public static SteadyWindow WholeRun()
    {
        var w = new SteadyWindow(0, 0);
        w.OpenAfter(0, 0);
        return w;
    }

    public bool Valid => Stages > 0 && OutputTokens > 0 && Ttft.Count > 0;

    public void OpenAfter(int completed, double nowS)
    {
        if (double.IsNaN(StartS) && double.IsNaN(EndS) && completed >= warmupCompletions) StartS = nowS;
    }

    public void Close(double nowS)
    {
        if (double.IsNaN(EndS)) EndS = double.IsNaN(StartS) ? nowS : Math.Max(StartS, nowS);
    }

    public void AddStage(double dt, long tokens, int batch, bool decodeOnly, StageCost cost)
    {
        Stages++;
        TimeS += dt;
        OutputTokens += tokens;
        BatchTimeIntegral += batch * dt;
        for (int i = 0; i < EnergyJ.Length; i++) EnergyJ[i] += cost.EnergyJ[i];
        int k = decodeOnly ? 0 : 1;
        _kindStages[k]++;
        _kindStageS[k] += dt;
        for (int g = 0; g < cost.GroupS.Length; g++) _kindGroupS[k][g] += cost.GroupS[g];
    }

    /// <summary>
    /// Mean seconds per stage of each kind ("decode_only", "mixed"): "stage" is the stage's time, the rest device 0's
    /// busy seconds by operator group (on a GPU, which runs one operator at a time, they add up to the stage).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> StageBreakdown()
    {
        var d = new SortedDictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        string[] kinds = ["decode_only", "mixed"];
        for (int k = 0; k < 2; k++)
        {
            if (_kindStages[k] == 0) continue;
            var row = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["stage"] = _kindStageS[k] / _kindStages[k] };
            for (int g = 0; g < OpGroups.Names.Length; g++)
                if (_kindGroupS[k][g] > 0) row[OpGroups.Names[g]] = _kindGroupS[k][g] / _kindStages[k];
            d[kinds[k]] = row;
        }
        return d;
    }
}
