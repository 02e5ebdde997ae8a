using CoDesign.Runtime.Serving;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Backends;

public sealed partial class AnalyticBackend
{
    /// <summary>
    /// Lays out the last costed stage on each drawn device's tracks (one per processor, one for links) in layer
    /// order: a stage event ⊃ layer events ⊃ one event per operator group, with its FLOPs and bytes. Devices run in
    /// lock-step, so every device shows the same operators; the experts differ: each device draws its expert
    /// group's share, so load imbalance shows as idle time before the next layer. Co-processed parts start together.
    /// </summary>
    public void EmitTimeline(int stageIndex, double startS, double stageS, int tokens, int batch, ITraceSink sink)
    {
        int devices = Math.Clamp(sink.DeviceLimit, 1, _devices);
        for (int d = 0; d < devices; d++) EmitDevice(d, stageIndex, startS, stageS, tokens, batch, sink);
    }

    void EmitDevice(int device, int stageIndex, double startS, double stageS, int tokens, int batch, ITraceSink sink)
    {
        string[] tracks = [_host.Name, _pim?.Name ?? "pim", "link"];
        int trackCount = _pim is null ? 1 : 2;
        int group = _groups == 0 ? 0 : Math.Min(_groups - 1, (int)(device / _devicesPerGroup));
        void OnAll(string name, string cat, double t0, double d)
        {
            for (int tr = 0; tr < trackCount; tr++) sink.Add(new TraceEvent(name, cat, device, tracks[tr], t0, d));
            if (_devices > 1) sink.Add(new TraceEvent(name, cat, device, tracks[2], t0, d));
        }
        OnAll($"stage {stageIndex}", "stage", startS, stageS);
        var kindOf = new KindPlan?[Program.Model.NumLayers];
        foreach (var k in _kinds) foreach (int l in k.Layers) kindOf[l] = k;
        double cursor = startS;
        for (int layer = 0; layer < kindOf.Length; layer++)
        {
            var k = kindOf[layer];
            if (k is null) continue;
            double layerStart = cursor;
            double attentionStart = -1, decCursor = 0, preCursor = 0, phaseSum = 0;
            for (int i = 0; i < k.Ops.Length; i++)
                if (k.Where[i] >= 0 && k.Ops[i].Phase is OpPhase.Decode or OpPhase.Prefill) phaseSum += k.Seconds[i];
            bool overlapped = k.AttentionS < phaseSum * (1 - 1e-12);
            for (int i = 0; i < k.Ops.Length; i++)
            {
                var op = k.Ops[i];
                bool attentionOp = op.Phase is OpPhase.Decode or OpPhase.Prefill;
                if (!attentionOp && attentionStart >= 0 && cursor < attentionStart + k.AttentionS) cursor = attentionStart + k.AttentionS;
                if (op.Kind == OpKind.Expert)
                {
                    // The stage waits for the slowest group (ExpertSegment); this device's group may finish earlier.
                    var (_, _, seg) = ExpertTiming(layer);
                    var host = GroupExperts(layer, group, StageCost.Host);
                    var pim = GroupExperts(layer, group, StageCost.Pim);
                    if (host.S > 0)
                        sink.Add(new TraceEvent("experts", "moe", device, tracks[StageCost.Host], cursor, host.S,
                            new OpArgs(host.Flops, host.Bytes, (int)Math.Round(host.Tokens), batch)));
                    // Without co-processing the PIM's share follows the xPU's.
                    if (pim.S > 0)
                        sink.Add(new TraceEvent("experts", "moe", device, tracks[StageCost.Pim], _coExperts ? cursor : cursor + host.S, pim.S,
                            new OpArgs(pim.Flops, pim.Bytes, (int)Math.Round(pim.Tokens), batch)));
                    cursor += seg;
                    continue;
                }
                int where = k.Where[i];
                if (where < 0) continue;
                double d = k.Seconds[i];
                var args = new OpArgs(k.Flops[i], k.Bytes[i], tokens, batch);
                if (attentionOp)
                {
                    if (attentionStart < 0) { attentionStart = cursor; decCursor = preCursor = cursor; }
                    ref double c = ref op.Phase == OpPhase.Decode ? ref decCursor : ref preCursor;
                    if (!overlapped && op.Phase == OpPhase.Prefill && decCursor > preCursor) c = decCursor;
                    sink.Add(new TraceEvent(op.Name, "attention", device, tracks[where], c, d, args));
                    c += d;
                    continue;
                }
                sink.Add(new TraceEvent(op.Name, Machine.Stages.OpGroups.Name(op.Kind), device, tracks[where], cursor, d, args));
                cursor += d;
            }
            OnAll($"layer {layer}", "layer", layerStart, cursor - layerStart);
        }
        if (_headS > 0) sink.Add(new TraceEvent("lm_head", "lm_head", device, tracks[StageCost.Host], cursor, _headS,
            new OpArgs(_headFlops, _headBytes, tokens, batch)));
    }
}
