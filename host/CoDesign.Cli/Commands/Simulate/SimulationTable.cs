using CoDesign.Reports;
using CoDesign.Runtime.Serving;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Simulate;

public static class SimulationTable
{
    public static void WriteCsv(TextWriter w, SimulationResult r)
    {
        var e = r.EnergyBreakdownJPerToken;
        Csv.Write(w, ["model", "hardware", "devices", "co_processing", "moe_parallelism", "throughput_tokens_per_s", "requests_completed", "output_tokens",
                "simulated_time_s", "stages", "decode_only_stage_fraction", "effective_batch", "kv_capacity_tokens",
                "ttft_p50_s", "ttft_p90_s", "ttft_p99_s", "ttft_mean_s", "tbt_p50_s", "tbt_p90_s", "tbt_p99_s", "tbt_mean_s",
                "e2e_p50_s", "e2e_p90_s", "e2e_p99_s", "e2e_mean_s", "energy_j_per_token",
                "fc_dram_j", "fc_compute_j", "attention_dram_j", "attention_compute_j", "moe_dram_j", "moe_compute_j", "communication_j"],
            [[r.Model, r.Hardware, r.Devices, r.CoProcessing, r.MoeParallelism, r.ThroughputTokensPerS, r.RequestsCompleted, r.OutputTokens,
              r.SimulatedTimeS, r.Stages, r.DecodeOnlyStageFraction, r.EffectiveBatch, r.KvCapacityTokens,
              r.TtftS.P50, r.TtftS.P90, r.TtftS.P99, r.TtftS.Mean, r.TbtS.P50, r.TbtS.P90, r.TbtS.P99, r.TbtS.Mean,
              r.E2eS.P50, r.E2eS.P90, r.E2eS.P99, r.E2eS.Mean, r.EnergyJPerToken,
              e.FcDram, e.FcCompute, e.AttentionDram, e.AttentionCompute, e.MoeDram, e.MoeCompute, e.Communication]]);
    }

    public static void WriteTable(TextWriter w, SimulationResult r)
    {
        w.WriteLine($"{r.Model} on {r.Devices} x {r.Hardware} (co-processing {r.CoProcessing}, MoE {r.MoeParallelism})");
        var t = new TextTable("metric", "value");
        t.Add("throughput", $"{Units.Number(r.ThroughputTokensPerS)} tokens/s");
        t.Add("requests completed", Units.Number(r.RequestsCompleted));
        t.Add("output tokens", Units.Number(r.OutputTokens));
        t.Add("simulated time", Units.Seconds(r.SimulatedTimeS));
        t.Add("measured (steady state)", r.SteadyState is { } ss
            ? $"{Units.Seconds(ss.StartS)} to {Units.Seconds(ss.EndS)}, {Units.Number(ss.Stages)} stages, {Units.Number(ss.Requests)} requests arrived"
            : "whole run (too short for a steady state)");
        t.Add("stages (decode-only)", $"{Units.Number(r.Stages)} ({Units.Percent(r.DecodeOnlyStageFraction)})");
        t.Add("effective batch", Units.Number(r.EffectiveBatch));
        t.Add("KV capacity per device", $"{Units.Number(r.KvCapacityTokens)} tokens");
        foreach (var (name, p) in new[] { ("TTFT", r.TtftS), ("TBT", r.TbtS), ("E2E", r.E2eS) })
            t.Add($"{name} p50 / p90 / p99 / mean", $"{Units.Seconds(p.P50)} / {Units.Seconds(p.P90)} / {Units.Seconds(p.P99)} / {Units.Seconds(p.Mean)}");
        t.Add("energy per token", Units.Joules(r.EnergyJPerToken));
        var e = r.EnergyBreakdownJPerToken;
        t.Add("  fc dram / compute", $"{Units.Joules(e.FcDram)} / {Units.Joules(e.FcCompute)}");
        t.Add("  attention dram / compute", $"{Units.Joules(e.AttentionDram)} / {Units.Joules(e.AttentionCompute)}");
        t.Add("  moe dram / compute", $"{Units.Joules(e.MoeDram)} / {Units.Joules(e.MoeCompute)}");
        t.Add("  communication", Units.Joules(e.Communication));
        if (r.Speculation is { } sp)
        {
            t.Add("speculation: mean k / accepted per draft", $"{Units.Ratio(sp.MeanK)} / {Units.Percent(sp.AcceptedPerDraft)}");
            t.Add("  tokens per verify / draft time", $"{Units.Ratio(sp.TokensPerVerify)} / {Units.Seconds(sp.DraftTimeS)} ({Units.Percent(sp.DraftTimeFraction)})");
        }
        if (r.PrefixCache is { } pc)
        {
            t.Add("prefix cache: hits / misses", $"{Units.Number(pc.Hits)} / {Units.Number(pc.Misses)} ({Units.Percent(pc.HitRate)})");
            t.Add("  prefill tokens skipped", $"{Units.Number(pc.SkippedPrefillTokens)} of {Units.Number(pc.PromptTokens)} ({Units.Percent(pc.SkippedPrefillFraction)})");
            t.Add("  capacity / evictions", $"{Units.Number(pc.CapacityTokens)} tokens / {Units.Number(pc.Evictions)}");
        }
        t.Write(w);
        var busy = new TextTable("busy time (device 0)", "seconds", "share of run");
        busy.RightAligned.Add(1);
        foreach (var (k, v) in r.TimeBreakdownS.OrderByDescending(kv => kv.Value))
            busy.Add(k, Units.Seconds(v), Units.Percent(r.SimulatedTimeS > 0 ? v / r.SimulatedTimeS : 0));
        busy.Write(w);
        if (r.CommunicationS is { Count: > 0 } comm)
        {
            var c = new TextTable("communication (critical device)", "seconds", "share of run");
            c.RightAligned.Add(1);
            foreach (var (k, v) in comm)
                c.Add(k, Units.Seconds(v), Units.Percent(r.SimulatedTimeS > 0 ? v / r.SimulatedTimeS : 0));
            c.Write(w);
        }
        if (r.StageTimeBreakdownS is { Count: > 0 } stages)
        {
            var groups = stages.Values.SelectMany(d => d.Keys).Where(k => k != "stage").Distinct().Order(StringComparer.Ordinal).ToList();
            var st = new TextTable(["mean stage", "stage", .. groups]);
            for (int i = 1; i <= groups.Count + 1; i++) st.RightAligned.Add(i);
            foreach (var (kind, d) in stages)
                st.Add([kind, Units.Seconds(d["stage"]), .. groups.Select(g => Units.Seconds(d.GetValueOrDefault(g)))]);
            st.Write(w);
        }
    }
}
