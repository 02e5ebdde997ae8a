using CoDesign.Machine;
using CoDesign.Machine.Stages;
using CoDesign.Runtime.Serving;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Backends;

/// <summary>
/// The analytic backend: the time and energy of a whole stage on the system, from the Program and the one
/// machine model. Each distinct layer shape is evaluated once per stage; only the experts, whose tokens are
/// drawn per MoE layer, are evaluated per layer. Layer order follows docs/reference/duplex-spec.md §3: QKV → prefill
/// attention ∥ decode attention → projection, gate → experts split xPU ∥ PIM → next layer.
/// </summary>
public sealed partial class AnalyticBackend
{
    sealed class KindPlan(LayerKind kind)
    {
        public readonly LayerKind Kind = kind;
        public readonly OpTemplate[] Ops = kind.Ops.ToArray();
        public readonly int[] Layers = kind.Layers.Select(l => (int)l).ToArray();
        public readonly OpTemplate? Expert = kind.Ops.FirstOrDefault(o => o.Kind == OpKind.Expert);
        /// <summary>Last costed stage: each operator's seconds per layer and where it ran (-1 skipped, else StageCost index).</summary>
        public readonly double[] Seconds = new double[kind.Ops.Count];
        public readonly int[] Where = new int[kind.Ops.Count];
        public double AttentionS;
    }

    readonly ProgramCost _cost;
    readonly KindPlan[] _kinds;
    readonly OpTemplate[] _head;
    readonly ProcessorCost _host;
    readonly ProcessorCost? _pim;
    readonly DataType _type;
    readonly double[][] _lut;           // [host|pim][tokens] seconds of one local expert
    int _lutMax;
    readonly bool _coExperts, _coAttention;
    readonly int _experts, _topK, _groups, _local, _spaces, _devices, _dp;
    readonly int[] _space;
    readonly double _devicesPerGroup;
    readonly double[] _counts, _hostBySpace, _pimBySpace;
    readonly double[] _busyByGroupKind;  // [group index * 3 + processor]
    /// <summary>Per MoE layer of the last stage: critical device's expert seconds on host and PIM, and the segment time.</summary>
    readonly double[] _expertHostS, _expertPimS, _expertSegmentS;

    public Program Program { get; }
    public ProgramCost Cost => _cost;
    public bool HasPim => _pim is not null;
    public string HostName => _host.Name;
    public string? PimName => _pim?.Name;

    public AnalyticBackend(Program program)
    {
        Program = program;
        _cost = new ProgramCost(program);
        _kinds = program.LayerKinds.Select(k => new KindPlan(k)).ToArray();
        _head = program.HeadOps.ToArray();
        _host = _cost.Device.Host;
        _pim = _cost.Device.Pim;
        _type = _cost.ComputeType;
        var co = program.System.CoProcessing;
        _coExperts = _pim is not null && co is CoProcessing.Experts or CoProcessing.Both;
        _coAttention = _pim is not null && co is CoProcessing.Attention or CoProcessing.Both;
        _experts = (int)program.Model.NumExperts;
        _topK = (int)program.Model.ExpertsPerToken;
        _local = (int)program.LocalExperts;
        _groups = _experts == 0 ? 0 : (int)Math.Max(1, program.System.ExpertParallel);
        _devices = (int)program.System.Devices;
        _dp = (int)program.System.DataParallel;
        _devicesPerGroup = _groups == 0 ? 0 : (double)_devices / _groups;
        _spaces = (int)Math.Max(1, program.BankBundleSpaces);
        _space = program.ExpertSpace.Select(s => (int)s).ToArray();
        _counts = new double[Math.Max(1, _experts)];
        _hostBySpace = new double[_spaces];
        _pimBySpace = new double[_spaces];
        _busyByGroupKind = new double[OpGroups.Names.Length * 3];
        int layers = (int)program.Model.NumLayers;
        _expertHostS = new double[layers];
        _expertPimS = new double[layers];
        _expertSegmentS = new double[layers];

        var expert = _kinds.Select(k => k.Expert).FirstOrDefault(e => e is not null);
        var table = program.ExpertTable;
        _lutMax = table is null ? -1 : (int)table.MaxTokens;
        _lut = new double[2][];
        if (expert is not null)
        {
            _lut[0] = Row(table, _host.Name) ?? Build(expert, _host);
            if (_pim is not null) _lut[1] = Row(table, _pim.Name) ?? Build(expert, _pim);
        }
        double[]? Row(ExpertLatencyTable? t, string name)
        {
            int i = t?.Processors.IndexOf(name) ?? -1;
            return i < 0 ? null : t!.Seconds.Skip(i * (_lutMax + 1)).Take(_lutMax + 1).ToArray();
        }
        double[] Build(OpTemplate op, ProcessorCost p)
        {
            _lutMax = Math.Max(_lutMax, 1024);
            return Enumerable.Range(0, _lutMax + 1).Select(t => p.Seconds(AffineEval.ExpertCounts(op, t), _type)).ToArray();
        }
    }

    /// <summary>Busy seconds by operator group and processor (host, PIM, link) accumulated over every stage costed.</summary>
    public IReadOnlyDictionary<string, double> BusyBreakdown()
    {
        var d = new SortedDictionary<string, double>(StringComparer.Ordinal);
        string[] procs = [_host.Name, _pim?.Name ?? "pim", "link"];
        for (int g = 0; g < OpGroups.Names.Length; g++)
            for (int p = 0; p < 3; p++)
                if (_busyByGroupKind[g * 3 + p] > 0) d[$"{OpGroups.Names[g]}/{procs[p]}"] = _busyByGroupKind[g * 3 + p];
        return d;
    }

    /// <summary>Costs one stage of one data-parallel replica (all replicas run the same in lock-step).</summary>
    public void CostStage(StageShape shape, ExpertRouting? routing, StageCost result)
    {
        result.Clear();
        var x = shape.Features;
        bool decodeOnly = shape.IsDecodeOnly;
        long globalTokens = (long)Math.Round(shape.Tokens) * _dp;
        double time = 0;

        foreach (var k in _kinds)
        {
            int n = k.Layers.Length;
            double seq = 0, dec = 0, pre = 0;
            int decProc = StageCost.Host, preProc = StageCost.Host;
            ProcessorCost? decScore = null, preScore = null;
            bool hasDec = false, hasPre = false;
            for (int i = 0; i < k.Ops.Length; i++)
            {
                var op = k.Ops[i];
                k.Where[i] = -1;
                if (op.Kind == OpKind.Expert) continue;
                if (ProgramCost.IsCollective(op))
                {
                    double bytes = AffineEval.Eval(op.CommBytes, x);
                    if (bytes <= 0) continue;
                    double tc = _cost.CollectiveSeconds(op, bytes);
                    k.Where[i] = StageCost.Link;
                    k.Seconds[i] = tc;
                    seq += tc;
                    Busy(op, StageCost.Link, tc * n, result);
                    result.EnergyJ[6] += _cost.CollectiveJoules(op, bytes) * _devices * n;
                    continue;
                }
                var c = AffineEval.Counts(op, x);
                if (c.Flops <= 0 && c.Bytes <= 0) continue;
                bool isSoftmax = op.Kind == OpKind.AttentionSoftmax;
                var fused = op.Phase == OpPhase.Decode ? decScore : preScore;
                var proc = _cost.Choose(op, c, decodeOnly, fused, isSoftmax && fused is not null)!;
                if (op.Kind == OpKind.AttentionScore) { if (op.Phase == OpPhase.Decode) decScore = proc; else preScore = proc; }
                double t = proc.Seconds(c, _type);
                int pi = proc == _host ? StageCost.Host : StageCost.Pim;
                k.Where[i] = pi;
                k.Seconds[i] = t;
                switch (op.Phase)
                {
                    case OpPhase.Decode: dec += t; decProc = pi; hasDec = true; break;
                    case OpPhase.Prefill: pre += t; preProc = pi; hasPre = true; break;
                    default: seq += t; break;
                }
                Busy(op, pi, t * n, result);
                Energy(op, proc, c, _devices * n, result);
            }
            // Attention co-processing: prefill attention on the xPU runs while decode attention runs on the PIM.
            double attention = _coAttention && hasDec && hasPre && decProc != preProc ? Math.Max(dec, pre) : dec + pre;
            k.AttentionS = attention;
            time += (seq + attention) * n;

            if (k.Expert is { } expert && _experts > 0)
                foreach (int layer in k.Layers)
                    time += ExpertSegment(expert, layer, globalTokens, decodeOnly, routing, result);
        }

        double head = 0;
        ProcessorCost? noFused = null;
        foreach (var op in _head)
        {
            var c = AffineEval.Counts(op, x);
            if (c.Flops <= 0 && c.Bytes <= 0) continue;
            var proc = _cost.Choose(op, c, decodeOnly, noFused)!;
            double t = proc.Seconds(c, _type);
            head += t;
            Busy(op, proc == _host ? StageCost.Host : StageCost.Pim, t, result);
            Energy(op, proc, c, _devices, result);
        }
        result.TimeS = time + head;
        _headS = head;
    }

    double _headS;

    /// <summary>One MoE layer's experts: draw the routing, split each device's experts, take the slowest device.</summary>
    double ExpertSegment(OpTemplate expert, int layer, long globalTokens, bool decodeOnly, ExpertRouting? routing, StageCost result)
    {
        var counts = _counts.AsSpan(0, _experts);
        if (routing is null) counts.Fill((double)globalTokens * _topK / _experts);
        else routing.Draw(layer, globalTokens, _topK, counts);

        double worst = -1, worstHost = 0, worstPim = 0;
        for (int g = 0; g < _groups; g++)
        {
            Array.Clear(_hostBySpace);
            Array.Clear(_pimBySpace);
            int first = g * _local;
            for (int i = 0; i < _local && first + i < _experts; i++)
            {
                double t = counts[first + i];
                int s = _space.Length > i ? _space[i] : 0;
                _hostBySpace[s] += Lookup(0, expert, t);
                if (_pim is not null) _pimBySpace[s] += Lookup(1, expert, t);
            }
            int pimMask = ChooseExpertMask(decodeOnly);
            if (pimMask == -1) pimMask = ExpertSplit.Best(_hostBySpace, _pimBySpace).PimMask;
            double h = 0, p = 0;
            for (int s = 0; s < _spaces; s++)
                if ((pimMask >> s & 1) != 0) p += _pimBySpace[s]; else h += _hostBySpace[s];
            // Without co-processing one processor is busy at a time.
            double segment = _coExperts ? Math.Max(h, p) : h + p;
            if (segment > worst) { worst = segment; worstHost = h; worstPim = p; }

            for (int i = 0; i < _local && first + i < _experts; i++)
            {
                double t = counts[first + i];
                if (t <= 0) continue;
                int s = _space.Length > i ? _space[i] : 0;
                var proc = (pimMask >> s & 1) != 0 ? _pim! : _host;
                Energy(expert, proc, AffineEval.ExpertCounts(expert, t), _devicesPerGroup, result);
            }
        }
        int moe = OpGroups.Index(OpKind.Expert) * 3;
        _busyByGroupKind[moe + StageCost.Host] += worstHost;
        _busyByGroupKind[moe + StageCost.Pim] += worstPim;
        result.BusyS[StageCost.Host] += worstHost;
        result.BusyS[StageCost.Pim] += worstPim;
        _expertHostS[layer] = worstHost;
        _expertPimS[layer] = worstPim;
        _expertSegmentS[layer] = worst;
        return worst;
    }

    /// <summary>-1: search the best split (co-processing); otherwise the static mask of spaces on the PIM.</summary>
    int ChooseExpertMask(bool decodeOnly)
    {
        if (_pim is null) return 0;
        if (_coExperts) return -1;
        int all = (1 << _spaces) - 1;
        if (Program.System.Placement == PlacementPolicy.Paper) return decodeOnly ? all : 0;
        double h = 0, p = 0;
        for (int s = 0; s < _spaces; s++) { h += _hostBySpace[s]; p += _pimBySpace[s]; }
        return p < h ? all : 0;
    }

    double Lookup(int proc, OpTemplate expert, double tokens)
    {
        int t = (int)tokens;
        if (t <= 0) return 0;
        return t <= _lutMax ? _lut[proc][t] : (proc == 0 ? _host : _pim!).Seconds(AffineEval.ExpertCounts(expert, tokens), _type);
    }

    void Busy(OpTemplate op, int proc, double seconds, StageCost result)
    {
        _busyByGroupKind[OpGroups.Index(op.Kind) * 3 + proc] += seconds;
        result.BusyS[proc] += seconds;
    }

    void Energy(OpTemplate op, ProcessorCost proc, in OpCounts c, double copies, StageCost result)
    {
        var (dram, compute) = _cost.Joules(proc, c);
        int g = op.EnergyGroup switch { EnergyGroup.Attention => 1, EnergyGroup.Moe => 2, _ => 0 };
        result.EnergyJ[g * 2] += dram * copies;
        result.EnergyJ[g * 2 + 1] += compute * copies;
    }

    /// <summary>Expert seconds of the last costed stage's MoE layer on the critical device (for timelines).</summary>
    public (double HostS, double PimS, double SegmentS) ExpertTiming(int layer) => (_expertHostS[layer], _expertPimS[layer], _expertSegmentS[layer]);
}
