using CoDesign.Machine.Stages;

namespace CoDesign.Runtime.Backends;

public sealed partial class AnalyticBackend
{
    double[]? _savedBusy, _savedExpert;

    /// <summary>
    /// The seconds a stage would take, with uniform expected routing and without touching what the backend has
    /// accumulated (busy breakdown, last stage's timings): for schedulers that compare candidate stages.
    /// </summary>
    public double EstimateSeconds(StageShape shape, StageCost scratch)
    {
        _savedBusy ??= new double[_busyByGroupKind.Length];
        int layers = _expertHostS.Length;
        _savedExpert ??= new double[3 * layers];
        Array.Copy(_busyByGroupKind, _savedBusy, _busyByGroupKind.Length);
        Array.Copy(_expertHostS, 0, _savedExpert, 0, layers);
        Array.Copy(_expertPimS, 0, _savedExpert, layers, layers);
        Array.Copy(_expertSegmentS, 0, _savedExpert, 2 * layers, layers);
        var seconds = _kinds.Select(k => ((double[])k.Seconds.Clone(), (int[])k.Where.Clone(), k.AttentionS)).ToArray();
        double head = _headS;

        CostStage(shape, null, scratch);

        Array.Copy(_savedBusy, _busyByGroupKind, _busyByGroupKind.Length);
        Array.Copy(_savedExpert, 0, _expertHostS, 0, layers);
        Array.Copy(_savedExpert, layers, _expertPimS, 0, layers);
        Array.Copy(_savedExpert, 2 * layers, _expertSegmentS, 0, layers);
        for (int i = 0; i < _kinds.Length; i++)
        {
            Array.Copy(seconds[i].Item1, _kinds[i].Seconds, seconds[i].Item1.Length);
            Array.Copy(seconds[i].Item2, _kinds[i].Where, seconds[i].Item2.Length);
            _kinds[i].AttentionS = seconds[i].AttentionS;
        }
        _headS = head;
        return scratch.TimeS;
    }
}
