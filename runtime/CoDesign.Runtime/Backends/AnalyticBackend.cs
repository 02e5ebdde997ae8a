using CoDesign.Machine;
using CoDesign.Machine.Decisions;
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
        public readonly OpTemplate? PartialSums = kind.Ops.FirstOrDefault(PartialSumReduction.Is);
        /// <summary>Last costed stage: each operator's seconds per layer and where it ran (-1 skipped, else StageCost index).</summary>
        public readonly double[] Seconds = new double[kind.Ops.Count];
        public readonly int[] Where = new int[kind.Ops.Count];
        /// <summary>Last costed stage: each operator's FLOPs and bytes per layer on one device (bytes moved, for collectives).</summary>
        public readonly double[] Flops = new double[kind.Ops.Count], Bytes = new double[kind.Ops.Count];
        public double AttentionS;
    }

    readonly ProgramCost _cost;
    readonly StageDecisions _decide;
    readonly KindPlan[] _kinds;
    readonly OpTemplate[] _head;
    readonly ProcessorCost _host;
    readonly ProcessorCost? _pim;
    readonly DataType _type;
    readonly bool _coExperts;
    readonly int _experts, _topK, _groups, _local, _spaces, _devices, _dp;
    readonly int[] _space;
    readonly double _devicesPerGroup;
    readonly double[] _counts, _hostBySpace, _pimBySpace;
    readonly double[] _busyByGroupKind;  // [group index * 3 + processor]
    /// <summary>Per MoE layer of the last stage: critical device's expert seconds on host and PIM, and the segment time.</summary>
    readonly double[] _expertHostS, _expertPimS, _expertSegmentS;
    /// <summary>Per MoE layer of the last stage: device 0's spaces on the PIM (bit s = space s).</summary>
    readonly int[] _expertPimMask;

    public Program Program { get; }
    public ProgramCost Cost => _cost;
    public StageDecisions Decisions => _decide;
    public bool HasPim => _pim is not null;
    public string HostName => _host.Name;
    public string? PimName => _pim?.Name;

    public AnalyticBackend(Program program)
    {
        Program = program;
        _cost = new ProgramCost(program);
        _decide = new StageDecisions(_cost);
        _kinds = program.LayerKinds.Select(k => new KindPlan(k)).ToArray();
        _head = program.HeadOps.ToArray();
        _host = _cost.Device.Host;
        _pim = _cost.Device.Pim;
        _type = _cost.ComputeType;
        _coExperts = _decide.CoExperts;
        _experts = (int)program.Model.NumExperts;
        _topK = (int)program.Model.ExpertsPerToken;
        _local = (int)program.LocalExperts;
        _groups = _experts == 0 ? 0 : (int)Math.Max(1, program.System.ExpertParallel);
        _devices = (int)program.System.Devices;
        _dp = (int)program.System.DataParallel;
        _devicesPerGroup = _groups == 0 ? 0 : (double)_devices / _groups;
        _spaces = _decide.Spaces;
        _space = program.ExpertSpace.Select(s => (int)s).ToArray();
        _counts = new double[Math.Max(1, _experts)];
        _hostBySpace = new double[_spaces];
        _pimBySpace = new double[_spaces];
        _busyByGroupKind = new double[OpGroups.Names.Length * 3];
        int layers = (int)program.Model.NumLayers;
        _expertHostS = new double[layers];
        _expertPimS = new double[layers];
        _expertSegmentS = new double[layers];
        _expertPimMask = new int[layers];
        _groupExperts = new double[layers * Math.Max(1, _groups) * GroupFields];
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
    public void CostStage(StageShape shape, IExpertTokens? routing, StageCost result)
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
                    var cc = _cost.Collective(op, bytes);
                    double tc = cc.Seconds;
                    k.Where[i] = StageCost.Link;
                    k.Seconds[i] = tc;
                    k.Flops[i] = 0;
                    k.Bytes[i] = bytes;
                    seq += tc;
                    Busy(op, StageCost.Link, tc * n, result);
                    result.EnergyJ[6] += cc.Joules * _devices * n;
                    CommunicationS(op, cc, n);
                    continue;
                }
                var c = AffineEval.Counts(op, x);
                if (c.Flops <= 0 && c.Bytes <= 0) continue;
                bool isSoftmax = op.Kind == OpKind.AttentionSoftmax;
                var fused = op.Phase == OpPhase.Decode ? decScore : preScore;
                var proc = _decide.Place(op, c, decodeOnly, isSoftmax ? fused : null).Processor!;
                if (op.Kind == OpKind.AttentionScore) { if (op.Phase == OpPhase.Decode) decScore = proc; else preScore = proc; }
                double t = proc.Seconds(c, _type);
                int pi = proc == _host ? StageCost.Host : StageCost.Pim;
                k.Where[i] = pi;
                k.Seconds[i] = t;
                k.Flops[i] = c.Flops;
                k.Bytes[i] = c.Bytes;
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
            double attention = _decide.AttentionOverlaps(hasDec, hasPre, decProc == StageCost.Pim, preProc == StageCost.Pim)
                ? Math.Max(dec, pre) : dec + pre;
            k.AttentionS = attention;
            time += (seq + attention) * n;

            if (k.Expert is { } expert && _experts > 0)
                foreach (int layer in k.Layers)
                    time += ExpertSegment(expert, k.PartialSums, layer, globalTokens, decodeOnly, routing, result);
        }

        double head = 0;
        _headFlops = _headBytes = 0;
        foreach (var op in _head)
        {
            var c = AffineEval.Counts(op, x);
            if (c.Flops <= 0 && c.Bytes <= 0) continue;
            _headFlops += c.Flops;
            _headBytes += c.Bytes;
            var proc = _decide.Place(op, c, decodeOnly).Processor!;
            double t = proc.Seconds(c, _type);
            head += t;
            Busy(op, proc == _host ? StageCost.Host : StageCost.Pim, t, result);
            Energy(op, proc, c, _devices, result);
        }
        result.TimeS = time + head;
        _headS = head;
    }

    double _headS, _headFlops, _headBytes;

    /// <summary>One MoE layer's experts: draw the routing, split each device's experts, take the slowest device.</summary>
    double ExpertSegment(OpTemplate expert, OpTemplate? partialSums, int layer, long globalTokens, bool decodeOnly, IExpertTokens? routing,
        StageCost result)
    {
        var counts = _counts.AsSpan(0, _experts);
        if (routing is null) counts.Fill((double)globalTokens * _topK / _experts);
        else routing.Draw(layer, globalTokens, _topK, counts);

        double worst = -1, worstHost = 0, worstPim = 0, worstReduce = 0;
        for (int g = 0; g < _groups; g++)
        {
            Array.Clear(_hostBySpace);
            Array.Clear(_pimBySpace);
            int first = g * _local;
            for (int i = 0; i < _local && first + i < _experts; i++)
            {
                double t = counts[first + i];
                int s = _space.Length > i ? _space[i] : 0;
                _hostBySpace[s] += _decide.Experts.Seconds(0, t);
                if (_pim is not null) _pimBySpace[s] += _decide.Experts.Seconds(1, t);
            }
            int pimMask = _decide.ExpertPimMask(_hostBySpace, _pimBySpace, decodeOnly);
            if (g == 0) _expertPimMask[layer] = pimMask;
            double h = 0, p = 0;
            for (int s = 0; s < _spaces; s++)
                if ((pimMask >> s & 1) != 0) p += _pimBySpace[s]; else h += _hostBySpace[s];
            var row = _groupExperts.AsSpan((layer * _groups + g) * GroupFields, GroupFields);
            row.Clear();
            row[0] = h;
            row[1] = p;
            for (int i = 0; i < _local && first + i < _experts; i++)
            {
                double t = counts[first + i];
                if (t <= 0) continue;
                int s = _space.Length > i ? _space[i] : 0;
                bool onPim = (pimMask >> s & 1) != 0;
                var c = AffineEval.ExpertCounts(expert, t);
                int at = onPim ? 3 : 2;
                row[at] += c.Flops;
                row[at + 2] += c.Bytes;
                row[at + 4] += t;
                Energy(expert, onPim ? _pim! : _host, c, _devicesPerGroup, result);
            }
            // Without co-processing one processor is busy at a time; the xPU adds the PIM experts' partial sums after both.
            double reduce = 0;
            if (partialSums is not null && row[7] > 0)
            {
                var rc = PartialSumReduction.Counts(partialSums, row[7], _cost.Stacks);
                reduce = _host.Seconds(rc, _type);
                Energy(partialSums, _host, rc, _devicesPerGroup, result);
            }
            double segment = (_coExperts ? Math.Max(h, p) : h + p) + reduce;
            if (segment > worst) { worst = segment; worstHost = h + reduce; worstPim = p; worstReduce = reduce; }
        }
        int moe = OpGroups.Index(OpKind.Expert) * 3;
        _busyByGroupKind[moe + StageCost.Host] += worstHost;
        _busyByGroupKind[moe + StageCost.Pim] += worstPim;
        result.GroupS[OpGroups.Index(OpKind.Expert)] += worstHost + worstPim;
        PartialSumS += worstReduce;
        result.BusyS[StageCost.Host] += worstHost;
        result.BusyS[StageCost.Pim] += worstPim;
        _expertHostS[layer] = worstHost;
        _expertPimS[layer] = worstPim;
        _expertSegmentS[layer] = worst;
        return worst;
    }

    void Busy(OpTemplate op, int proc, double seconds, StageCost result)
    {
        _busyByGroupKind[OpGroups.Index(op.Kind) * 3 + proc] += seconds;
        result.BusyS[proc] += seconds;
        result.GroupS[OpGroups.Index(op.Kind)] += seconds;
    }

    /// <summary>Seconds of every collective over the stages costed, by operator name, with its NVLink and InfiniBand parts.</summary>
    readonly SortedDictionary<string, double> _communicationS = new(StringComparer.Ordinal);

    /// <summary>Seconds the xPU spent adding Logic-PIM partial sums (critical device), over the stages costed.</summary>
    public double PartialSumS { get; private set; }

    void CommunicationS(OpTemplate op, in Machine.Network.CollectiveCost cc, int layers)
    {
        Add(op.Name, cc.Seconds * layers);
        if (cc.IntraS > 0) Add(op.Name + "/intra_node", cc.IntraS * layers);
        if (cc.InterS > 0) Add(op.Name + "/inter_node", cc.InterS * layers);
        void Add(string key, double s) => _communicationS[key] = _communicationS.GetValueOrDefault(key) + s;
    }

    /// <summary>Seconds per collective (operator name; "/intra_node" and "/inter_node" its parts) over every stage costed.</summary>
    public IReadOnlyDictionary<string, double> CommunicationBreakdown() => new SortedDictionary<string, double>(_communicationS, StringComparer.Ordinal);

    void Energy(OpTemplate op, ProcessorCost proc, in OpCounts c, double copies, StageCost result)
    {
        var (dram, compute) = _cost.Joules(proc, c);
        int g = op.EnergyGroup switch { EnergyGroup.Attention => 1, EnergyGroup.Moe => 2, _ => 0 };
        result.EnergyJ[g * 2] += dram * copies;
        result.EnergyJ[g * 2 + 1] += compute * copies;
    }

    /// <summary>Per MoE layer and expert group of the last stage: host s, PIM s, host/PIM FLOPs, host/PIM bytes, host/PIM tokens.</summary>
    readonly double[] _groupExperts;
    const int GroupFields = 8;

    /// <summary>Expert group <paramref name="group"/>'s share of MoE layer <paramref name="layer"/> in the last costed stage, per processor (for timelines).</summary>
    (double S, double Flops, double Bytes, double Tokens) GroupExperts(int layer, int group, int proc)
    {
        var row = _groupExperts.AsSpan((layer * _groups + group) * GroupFields, GroupFields);
        int o = proc == StageCost.Pim ? 1 : 0;
        return (row[o], row[2 + o], row[4 + o], row[6 + o]);
    }

    /// <summary>Expert seconds of the last costed stage's MoE layer on the critical device (for timelines).</summary>
    public (double HostS, double PimS, double SegmentS) ExpertTiming(int layer) => (_expertHostS[layer], _expertPimS[layer], _expertSegmentS[layer]);

    /// <summary>Device 0's local experts that ran on the PIM in MoE layer <paramref name="layer"/> of the last costed stage.</summary>
    public bool[] ExpertsOnPim(int layer)
    {
        var onPim = new bool[_local];
        for (int i = 0; i < _local; i++) onPim[i] = (_expertPimMask[layer] >> (_space.Length > i ? _space[i] : 0) & 1) != 0;
        return onPim;
    }

    /// <summary>Where operator <paramref name="opName"/> of decoder layer <paramref name="layer"/> ran in the last costed stage; null if it did not run.</summary>
    public string? ProcessorOf(int layer, string opName)
    {
        foreach (var k in _kinds)
        {
            if (Array.IndexOf(k.Layers, layer) < 0) continue;
            int i = Array.FindIndex(k.Ops, o => o.Name == opName);
            return i < 0 || k.Where[i] < 0 ? null : k.Where[i] switch { StageCost.Host => _host.Name, StageCost.Pim => _pim!.Name, _ => "link" };
        }
        return null;
    }
}
