using CoDesign.Machine.Stages;
using CoDesign.Runtime.Backends;
using CoDesign.Runtime.Serving.Techniques;

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
    /// <summary>Speculative decoding and KV reuse (Serving/Techniques); plain decoding when neither is set.</summary>
    public readonly ServingTechniques Techniques = new(o, backend, requests, kvCapacity);
    int _next;
    long _kvUsed;
    /// <summary>Requests whose milestones go to the trace: every n-th of this replica's, so they span the run.</summary>
    readonly HashSet<int> _flowIds = trace is { FlowRequests: > 0 } t
        ? requests.Where((_, i) => i % Math.Max(1, (requests.Count + t.FlowRequests - 1) / t.FlowRequests) == 0).Select(r => r.Id).ToHashSet()
        : [];

    public double NowS;
    public long OutputTokens;
    public int Completed, Stages, DecodeOnlyStages;
    public double BatchTimeIntegral;
    public readonly double[] EnergyJ = new double[7];
    public readonly LatencyStats Ttft = new(requests.Count), Tbt = new(requests.Count * 16), E2e = new(requests.Count);
    /// <summary>The steady state (warm-up and drain excluded) and what it measured; see <see cref="SteadyWindow"/>.</summary>
    public readonly SteadyWindow Window = new(Math.Min(batchCap, o.Qps is null ? batchCap : Math.Max(1, requests.Count / 10)),
        requests.Count);
    /// <summary>Every stage, for the per-stage breakdown of a run too short for a steady state.</summary>
    public readonly SteadyWindow Whole = SteadyWindow.WholeRun();

    public void Run(CancellationToken ct = default)
    {
        while (Completed < requests.Count)
        {
            if ((Stages & 1023) == 0) ct.ThrowIfCancellationRequested();   // Ctrl-C, checked every 1,024 stages
            Admit();
            // Drain: a slot can no longer be refilled (closed loop) or no request is left to arrive (open loop).
            if (_next >= requests.Count && (!_closed || _running.Count < batchCap)) Window.Close(NowS);
            if (_running.Count == 0)
            {
                if (_next >= requests.Count && _waiting.Count == 0) break;
                // Open loop and idle: jump to the next arrival.
                if (_waiting.Count == 0) NowS = Math.Max(NowS, requests[_next].ArrivalS);
                continue;
            }
            Techniques.ChooseK(() => { var b = BuildStage(); return (_shape, b.Decodes); });
            var (decodes, prefills, prefillTokens) = BuildStage();
            backend.CostStage(_shape, routing, _cost);
            Techniques.AddDraft(_cost);
            double start = NowS, dt = _cost.TimeS;
            if (trace is not null)
            {
                if (Stages < trace.StageLimit || trace.SampleEvery > 0 && Stages % trace.SampleEvery == 0)
                    backend.EmitTimeline(Stages, start, dt, (int)_shape.Tokens, _running.Count, trace);
                trace.Stage(new StageSummary(Stages, StageKinds.Of(_shape).Name(), start, dt,
                    (int)_shape.Tokens, _running.Count, decodes, prefills, prefillTokens, _kvUsed, _cost.TotalEnergyJ));
                if (_flowIds.Count > 0) TraceRequests(trace, start, dt);
            }
            onStage?.Invoke(new StageRecord(Stages, StageKinds.Of(_shape).Name(),
                start, dt, (int)_shape.Tokens, _running.Count, decodes, prefills, prefillTokens, _cost.TotalEnergyJ,
                _cost.BusyS[StageCost.Host], _cost.BusyS[StageCost.Pim], _cost.BusyS[StageCost.Link]));
            Advance(dt);
        }
        Window.Close(NowS);   // a run that ends without a drain (the last wave finished together) ends its window here
    }

    /// <summary>The milestones this stage brings to the sampled requests (before <see cref="Advance"/> applies them).</summary>
    void TraceRequests(ITraceSink trace, double start, double dt)
    {
        foreach (var r in _running)
        {
            if (!_flowIds.Contains(r.Id)) continue;
            if (r.Chunk > 0)
            {
                if (r.Prefilled == 0) trace.Request(new RequestStep(r.Id, RequestStepKind.PrefillStart, Stages, start, dt));
                if (r.Prefilled + r.Chunk < r.InputLen) continue;
                trace.Request(new RequestStep(r.Id, RequestStepKind.FirstToken, Stages, start, dt));
                if (r.OutputLen <= 1) trace.Request(new RequestStep(r.Id, RequestStepKind.Done, Stages, start, dt));
            }
            else if (r.Chunk == Decoding && r.Generated + 1 >= r.OutputLen)
                trace.Request(new RequestStep(r.Id, RequestStepKind.Done, Stages, start, dt));
        }
    }

    void Admit()
    {
        if (_closed)
        {
            // Closed loop: a freed slot is refilled at once; the newcomer arrives now.
            while (_running.Count < batchCap && _next < requests.Count && _kvUsed + Techniques.CacheTokens + requests[_next].ReservedKvTokens <= kvCapacity)
            {
                var r = requests[_next++];
                r.ArrivalS = NowS;
                r.InWindow = Window.IsOpen;
                Start(r);
            }
            return;
        }
        while (_next < requests.Count && requests[_next].ArrivalS <= NowS)
        {
            requests[_next].InWindow = Window.IsOpen;
            _waiting.Enqueue(requests[_next++]);
        }
        while (_running.Count < batchCap && _waiting.Count > 0 && _kvUsed + Techniques.CacheTokens + _waiting.Peek().ReservedKvTokens <= kvCapacity)
            Start(_waiting.Dequeue());
    }

    void Start(Request r)
    {
        Techniques.OnStart(r);
        _running.Add(r);
        _kvUsed += r.ReservedKvTokens;
    }

    (int Decodes, int Prefills, int PrefillTokens) BuildStage()
    {
        _shape.Clear();
        Techniques.BeginStage();
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
                    Techniques.AddDecode(_shape, r, r.InputLen + r.Generated);
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
                Techniques.AddPrefill(_shape, take, r.Prefilled);
                prefills++;
                prefillTokens += take;
                budget -= take;
            }
        Techniques.EndStage(_shape);
        return (decodes, prefills, prefillTokens);
    }

    void Advance(double dt)
    {
        NowS += dt;
        Stages++;
        if (_shape.IsDecodeOnly) DecodeOnlyStages++;
        BatchTimeIntegral += _running.Count * dt;
        for (int i = 0; i < EnergyJ.Length; i++) EnergyJ[i] += _cost.EnergyJ[i];
        long tokensBefore = OutputTokens;
        int batch = _running.Count;
        foreach (var r in _running)
        {
            if (r.Chunk > 0)
            {
                r.Prefilled += r.Chunk;
                if (!r.PrefillDone) continue;
                // Segments it computed for the prefix cache now live there, not in its own reservation.
                _kvUsed -= Techniques.OnPrefillDone(r);
                // The stage that completes the prompt produces the first token.
                r.Generated = 1;
                r.FirstTokenS = r.LastTokenS = NowS;
                Ttft.Add(NowS - r.ArrivalS);
                if (r.InWindow) Window.Ttft.Add(NowS - r.ArrivalS);
                OutputTokens++;
            }
            else if (r.Chunk == Decoding)
            {
                // A verify step hands over its accepted drafts and one more token at once; each counts dt / n.
                int n = Techniques.TokensFor(r);
                r.Generated += n;
                for (int i = 0; i < n; i++) Tbt.Add((NowS - r.LastTokenS) / n);
                if (Window.IsOpen)
                    for (int i = 0; i < n; i++) Window.Tbt.Add((NowS - r.LastTokenS) / n);
                r.LastTokenS = NowS;
                OutputTokens += n;
            }
            else continue;
            if (r.Generated >= r.OutputLen)
            {
                r.DoneS = NowS;
                E2e.Add(NowS - r.ArrivalS);
                if (r.InWindow) Window.E2e.Add(NowS - r.ArrivalS);
                Completed++;
                _kvUsed -= r.ReservedKvTokens;
                Techniques.OnDone(r);
            }
        }
        _running.RemoveAll(static r => !double.IsNaN(r.DoneS));
        if (Window.IsOpen) Window.AddStage(dt, OutputTokens - tokensBefore, batch, _shape.IsDecodeOnly, _cost);
        Whole.AddStage(dt, OutputTokens - tokensBefore, batch, _shape.IsDecodeOnly, _cost);
        Window.OpenAfter(Completed, NowS);
    }
}
