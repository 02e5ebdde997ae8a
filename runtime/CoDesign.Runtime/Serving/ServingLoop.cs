using CoDesign.Machine.Stages;
using CoDesign.Runtime.Backends;

namespace CoDesign.Runtime.Serving;

/// <summary>
/// The stage loop: admit requests (KV reserved for their whole length, so capacity is never exceeded), build
/// the stage the scheduler asks for, cost it, advance every request. Allocation-free per stage.
/// </summary>
sealed class Loop(WorkloadOptions o, AnalyticBackend backend, ExpertRouting? routing, List<Request> requests, int batchCap,
    long kvCapacity, Action<StageRecord>? onStage, ITraceSink? trace)
{
    const int Decoding = -1;
    readonly List<Request> _running = new(batchCap);
    readonly Queue<Request> _waiting = new();
    readonly StageShape _shape = StageShape.For(backend.Program.Model);
    readonly StageCost _cost = new();
    readonly bool _closed = o.Qps is null;
    int _next;
    long _kvUsed;

    public double NowS;
    public long OutputTokens;
    public int Completed, Stages, DecodeOnlyStages;
    public double BatchTimeIntegral;
    public readonly double[] EnergyJ = new double[7];
    public readonly LatencyStats Ttft = new(requests.Count), Tbt = new(requests.Count * 16), E2e = new(requests.Count);

    public void Run(CancellationToken ct = default)
    {
        while (Completed < requests.Count)
        {
            if ((Stages & 1023) == 0) ct.ThrowIfCancellationRequested();   // Ctrl-C, checked every 1,024 stages
            Admit();
            if (_running.Count == 0)
            {
                if (_next >= requests.Count && _waiting.Count == 0) break;
                // Open loop and idle: jump to the next arrival.
                if (_waiting.Count == 0) NowS = Math.Max(NowS, requests[_next].ArrivalS);
                continue;
            }
            var (decodes, prefills, prefillTokens) = BuildStage();
            backend.CostStage(_shape, routing, _cost);
            double start = NowS, dt = _cost.TimeS;
            if (trace is not null)
            {
                if (Stages < trace.StageLimit || trace.SampleEvery > 0 && Stages % trace.SampleEvery == 0) backend.EmitTimeline(Stages, start, dt, trace);
                trace.Stage(new StageSummary(Stages, StageKinds.Of(_shape).Name(), start, dt,
                    (int)_shape.Tokens, _running.Count, decodes, prefills, prefillTokens, _kvUsed, _cost.TotalEnergyJ));
            }
            onStage?.Invoke(new StageRecord(Stages, StageKinds.Of(_shape).Name(),
                start, dt, (int)_shape.Tokens, _running.Count, decodes, prefills, prefillTokens, _cost.TotalEnergyJ,
                _cost.BusyS[StageCost.Host], _cost.BusyS[StageCost.Pim], _cost.BusyS[StageCost.Link]));
            Advance(dt);
        }
    }

    void Admit()
    {
        if (_closed)
        {
            // Closed loop: a freed slot is refilled at once; the newcomer arrives now.
            while (_running.Count < batchCap && _next < requests.Count && _kvUsed + requests[_next].ReservedKvTokens <= kvCapacity)
            {
                var r = requests[_next++];
                r.ArrivalS = NowS;
                Start(r);
            }
            return;
        }
        while (_next < requests.Count && requests[_next].ArrivalS <= NowS) _waiting.Enqueue(requests[_next++]);
        while (_running.Count < batchCap && _waiting.Count > 0 && _kvUsed + _waiting.Peek().ReservedKvTokens <= kvCapacity)
            Start(_waiting.Dequeue());
    }

    void Start(Request r)
    {
        _running.Add(r);
        _kvUsed += r.ReservedKvTokens;
    }

    (int Decodes, int Prefills, int PrefillTokens) BuildStage()
    {
        _shape.Clear();
        int decodes = 0, prefills = 0, prefillTokens = 0;
        bool anyPrefill = false;
        foreach (var r in _running) { r.Chunk = 0; anyPrefill |= !r.PrefillDone; }
        bool decodeAllowed = o.Scheduler != SchedulerKind.PrefillFirst || !anyPrefill;
        bool prefillAllowed = o.Scheduler != SchedulerKind.PrefillFirst || anyPrefill;
        int budget = o.Scheduler == SchedulerKind.Chunked ? o.ChunkSize : o.MaxBatchedTokens;
        if (decodeAllowed)
            foreach (var r in _running)
                if (r.PrefillDone)
                {
                    r.Chunk = Decoding;
                    _shape.AddDecode(r.InputLen + r.Generated);
                    decodes++;
                    budget--;
                }
        if (prefillAllowed)
            foreach (var r in _running)
            {
                if (r.PrefillDone) continue;
                int take = r.RemainingPrompt;
                if (o.Scheduler == SchedulerKind.Chunked) take = Math.Min(take, budget);
                // A prompt larger than the whole budget still runs, alone, rather than wait forever.
                else if (take > budget && !(prefills == 0 && decodes == 0)) continue;
                if (take <= 0) break;
                r.Chunk = take;
                _shape.AddPrefill(take, r.Prefilled);
                prefills++;
                prefillTokens += take;
                budget -= take;
            }
        return (decodes, prefills, prefillTokens);
    }

    void Advance(double dt)
    {
        NowS += dt;
        Stages++;
        if (_shape.IsDecodeOnly) DecodeOnlyStages++;
        BatchTimeIntegral += _running.Count * dt;
        for (int i = 0; i < EnergyJ.Length; i++) EnergyJ[i] += _cost.EnergyJ[i];
        foreach (var r in _running)
        {
            if (r.Chunk > 0)
            {
                r.Prefilled += r.Chunk;
                if (!r.PrefillDone) continue;
                // The stage that completes the prompt produces the first token.
                r.Generated = 1;
                r.FirstTokenS = r.LastTokenS = NowS;
                Ttft.Add(NowS - r.ArrivalS);
                OutputTokens++;
            }
            else if (r.Chunk == Decoding)
            {
                r.Generated++;
                Tbt.Add(NowS - r.LastTokenS);
                r.LastTokenS = NowS;
                OutputTokens++;
            }
            else continue;
            if (r.Generated >= r.OutputLen)
            {
                r.DoneS = NowS;
                E2e.Add(NowS - r.ArrivalS);
                Completed++;
                _kvUsed -= r.ReservedKvTokens;
            }
        }
        _running.RemoveAll(static r => !double.IsNaN(r.DoneS));
    }
}
