using CoDesign.Runtime.Serving;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Backends;

public sealed partial class AnalyticBackend
{
    /// <summary>
    /// Lays out the last costed stage on device 0's tracks (one per processor, one for links) in layer order:
    /// a stage event ⊃ layer events ⊃ one event per operator group. Co-processed parts start together.
    /// </summary>
    public void EmitTimeline(int stageIndex, double startS, double stageS, ITraceSink sink)
    {
        string[] tracks = [_host.Name, _pim?.Name ?? "pim", "link"];
        int trackCount = _pim is null ? 1 : 2;
        void OnAll(string name, string cat, double t0, double d)
        {
            for (int tr = 0; tr < trackCount; tr++) sink.Add(new TraceEvent(name, cat, 0, tracks[tr], t0, d));
            if (_devices > 1) sink.Add(new TraceEvent(name, cat, 0, tracks[2], t0, d));
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
                    var (h, p, seg) = ExpertTiming(layer);
                    if (h > 0) sink.Add(new TraceEvent("experts", "moe", 0, tracks[StageCost.Host], cursor, h));
                    // Without co-processing the PIM's share follows the xPU's.
                    if (p > 0) sink.Add(new TraceEvent("experts", "moe", 0, tracks[StageCost.Pim], _coExperts ? cursor : cursor + h, p));
                    cursor += seg;
                    continue;
                }
                int where = k.Where[i];
                if (where < 0) continue;
                double d = k.Seconds[i];
                if (attentionOp)
                {
                    if (attentionStart < 0) { attentionStart = cursor; decCursor = preCursor = cursor; }
                    ref double c = ref op.Phase == OpPhase.Decode ? ref decCursor : ref preCursor;
                    if (!overlapped && op.Phase == OpPhase.Prefill && decCursor > preCursor) c = decCursor;
                    sink.Add(new TraceEvent(op.Name, "attention", 0, tracks[where], c, d));
                    c += d;
                    continue;
                }
                sink.Add(new TraceEvent(op.Name, Machine.Stages.OpGroups.Name(op.Kind), 0, tracks[where], cursor, d));
                cursor += d;
            }
            OnAll($"layer {layer}", "layer", layerStart, cursor - layerStart);
        }
        if (_headS > 0) sink.Add(new TraceEvent("lm_head", "lm_head", 0, tracks[StageCost.Host], cursor, _headS));
    }
}
