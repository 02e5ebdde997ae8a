using CoDesign.Machine.Stages;
using CoDesign.Runtime.Backends;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Serving.Techniques;

/// <summary>
/// The draft side of speculative decoding and the choice of k. The draft runs k steps before the target's
/// verify: its first step carries the stage's prefill chunks (the draft needs the prompt's KV too) and one
/// token per decoding request; the next k − 1 steps are decode-only, one token further along each time.
/// Adaptive k (SmartSpec, Liu et al. 2024) costs every k in 0..K for the stage at hand and keeps the one with the
/// highest expected goodput, Σ_requests E[tokens | k] / (draft time + verify time).
/// </summary>
sealed class Speculator
{
    readonly SpeculationOptions _o;
    readonly AnalyticBackend _draft;
    readonly System.Random _rng;
    readonly StageShape _mixed, _decode, _prefillOnly;
    /// <summary>The stage's decoding requests' contexts: a later draft step sees each one further along, and a
    /// sliding window bounds each separately, so the shape is rebuilt from them rather than shifted in the sums.</summary>
    readonly List<double> _contexts = [];
    readonly StageCost _scratch = new(), _real = new();
    readonly double[] _draftS;

    public long Verifies, DraftTokens, AcceptedTokens;
    public double DraftSeconds, KSum;
    public AnalyticBackend Draft => _draft;

    public Speculator(SpeculationOptions o, System.Random rng)
    {
        _o = o;
        _draft = new AnalyticBackend(o.Draft);
        _mixed = StageShape.For(o.Draft.Model);
        _decode = StageShape.For(o.Draft.Model);
        _prefillOnly = StageShape.For(o.Draft.Model);
        _rng = rng;
        _draftS = new double[o.K + 1];
    }

    public int MaxK => _o.K;
    public bool Adaptive => _o.Adaptive;
    public double ExpectedTokens(int k) => _o.ExpectedTokens(k);

    public void BeginStage()
    {
        _mixed.Clear();
        _decode.Clear();
        _prefillOnly.Clear();
        _contexts.Clear();
    }

    public void AddDecode(double context)
    {
        _mixed.AddDecode(context);
        _contexts.Add(context);
    }

    public void AddPrefill(double chunk, double past)
    {
        _mixed.AddPrefill(chunk, past);
        _prefillOnly.AddPrefill(chunk, past);
    }

    /// <summary>Estimated draft seconds for every k of this stage (no side effects on the draft's accounting).</summary>
    public IReadOnlyList<double> EstimateDraft()
    {
        _draftS[0] = _prefillOnly.IsEmpty ? 0 : _draft.EstimateSeconds(_prefillOnly, _scratch);
        if (_o.K == 0) return _draftS;
        _draftS[1] = _mixed.IsEmpty ? 0 : _draft.EstimateSeconds(_mixed, _scratch);
        for (int k = 2; k <= _o.K; k++)
        {
            DecodeStep(k - 1);
            _draftS[k] = _draftS[k - 1] + (_decode.IsEmpty ? 0 : _draft.EstimateSeconds(_decode, _scratch));
        }
        return _draftS;
    }

    /// <summary>Runs the draft for the chosen k and adds its time, busy time and energy to the stage.</summary>
    public void AddDraft(int k, StageCost stage)
    {
        KSum += k;
        if (k == 0) { Add(_prefillOnly, stage); return; }
        Add(_mixed, stage);
        for (int j = 1; j < k; j++)
        {
            DecodeStep(j);
            Add(_decode, stage);
        }
    }

    void Add(StageShape shape, StageCost stage)
    {
        if (shape.IsEmpty) return;
        _draft.CostStage(shape, null, _real);
        stage.TimeS += _real.TimeS;
        DraftSeconds += _real.TimeS;
        // A draft on its own device keeps the target's processors free.
        if (!_o.DraftOnOwnDevice)
            for (int i = 0; i < stage.BusyS.Length; i++) stage.BusyS[i] += _real.BusyS[i];
        for (int i = 0; i < stage.EnergyJ.Length; i++) stage.EnergyJ[i] += _real.EnergyJ[i];
    }

    /// <summary>Accepted drafts of one verify: each accepted with its position's rate while all before it were.</summary>
    public int DrawAccepted(int k)
    {
        Verifies++;
        DraftTokens += k;
        int a = 0;
        while (a < k && _rng.NextDouble() < _o.Accept(a + 1)) a++;
        AcceptedTokens += a;
        return a;
    }

    /// <summary>Draft step <paramref name="step"/> after the first: decode-only, every request that many tokens further along.</summary>
    void DecodeStep(int step)
    {
        _decode.Clear();
        foreach (var c in _contexts) _decode.AddDecode(c + step);
    }
}
