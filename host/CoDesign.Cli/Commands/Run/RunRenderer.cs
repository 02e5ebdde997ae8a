using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Run;

public sealed class RunRenderer : Renderer<RunHandler.RunReport>
{
    protected override void Table(TextWriter w, RunHandler.RunReport r)
    {
        w.WriteLine($"model {r.Model} ({r.Weights}); xPU backend {r.Backend} [{r.BackendDevice}]; PIM backend {r.PimBackend} [{r.PimDevice}]; " +
            $"expert co-processing {(r.ExpertCoProcessing ? "on" : "off")}, attention co-processing {(r.AttentionCoProcessing ? "on" : "off")} ({r.Plan}); max batch {r.MaxBatch}");
        var t = new TextTable("request", "prompt", "generated token ids", "stages");
        foreach (var q in r.Requests) t.Add(q.Id.ToString(), q.PromptTokens.ToString(), string.Join(' ', q.Generated), $"{q.AdmittedAtStage}-{q.FinishedAtStage}");
        t.Write(w);
        var s = new TextTable("stage", "kind", "requests", "prefill tok", "decode tok", "wall", "xPU busy", "PIM busy", "both busy", "experts xPU/PIM", "decode attn on PIM", "on PIM", "KV in use")
        { Title = "stages" };
        foreach (var g in r.Stages)
            s.Add(g.Index.ToString(), g.Kind, g.Requests.ToString(), g.PrefillTokens.ToString(), g.DecodeTokens.ToString(), Units.Seconds(g.WallSeconds),
                Units.Seconds(g.XpuSeconds), Units.Seconds(g.PimSeconds), Units.Seconds(g.OverlapSeconds), $"{g.ExpertRunsOnXpu}/{g.ExpertRunsOnPim}", g.DecodeAttentionOnPim.ToString(),
                g.OnPim.Count == 0 ? "-" : string.Join(' ', g.OnPim), Units.Bytes(g.KvBytesInUse));
        s.Write(w);
        var o = new TextTable("side", "operator", "calls", "time") { Title = "operators" };
        foreach (var op in r.Ops) o.Add(op.Side, op.Op, op.Calls.ToString(), Units.Seconds(op.Seconds));
        o.Write(w);
        if (r.Rtl is { } sim)
            w.WriteLine($"Logic-PIM RTL: {sim.Gemms} PIM programs simulated, {Units.Number(sim.Cycles)} cycles = {Units.Seconds(sim.SimulatedSeconds)} of PIM time at the module clock");
        if (r.PrefixTokensReused is { } reused)
            w.WriteLine($"prefix reuse: {reused} of {r.Requests.Sum(q => q.PromptTokens)} prompt tokens not prefilled (K and V copied from a shared prefix)");
        w.WriteLine($"{r.GeneratedTokens} tokens in {Units.Seconds(r.WallSeconds)} ({Units.Number(r.TokensPerSecond)} tokens/s); KV cache peak {Units.Bytes(r.PeakKvBytes)}, {Units.Bytes(r.KvBytesAtEnd)} left at the end");
    }

    protected override void Csv(TextWriter w, RunHandler.RunReport r)
    {
        Reports.Csv.Write(w, ["request", "prompt_tokens", "generated", "admitted_at_stage", "finished_at_stage"],
            r.Requests.Select(q => (IReadOnlyList<object?>)[q.Id, q.PromptTokens, string.Join(' ', q.Generated), q.AdmittedAtStage, q.FinishedAtStage]));
    }
}
