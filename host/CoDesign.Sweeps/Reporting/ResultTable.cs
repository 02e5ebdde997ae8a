using CoDesign.Sweeps.Run;
using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Reporting;

/// <summary>
/// Results as flat rows (one per point, raw SI units) with the normalised throughput and the provenance of
/// each row: what `sweep --format csv` prints and the report's CSV holds.
/// </summary>
public static class ResultTable
{
    static readonly string[] Settings =
        ["model", "hardware", "devices", "devices_multiple", "batch", "qps", "requests", "input_len", "output_len", "scheduler", "co_processing", "moe_parallelism", "placement"];

    public static IReadOnlyList<string> Header { get; } =
    [
        "index", "id", "group", "system", "point", .. Settings, .. Parameters.HardwareParams, "status",
        "throughput_tokens_per_s", "normalised_throughput", "baseline_id",
        "ttft_p50_s", "ttft_p90_s", "ttft_p99_s", "tbt_p50_s", "tbt_p90_s", "tbt_p99_s", "e2e_p50_s", "e2e_p90_s", "e2e_p99_s",
        "energy_j_per_token", "energy_fc_dram_j", "energy_fc_compute_j", "energy_attention_dram_j", "energy_attention_compute_j",
        "energy_moe_dram_j", "energy_moe_compute_j", "energy_communication_j",
        "effective_batch", "batch_reduced_to", "kv_capacity_tokens", "requests_completed", "simulated_time_s",
        "model_name", "hardware_name", "hardware_source", "hardware_sha256", "seed", "codesign_version", "error",
    ];

    /// <summary>Throughput over the baseline's; null without a baseline or when either point did not run.</summary>
    public static double? Normalised(ResultRow r, IReadOnlyDictionary<string, ResultRow> byId) =>
        r.Ok && r.BaselineId is { } b && byId.TryGetValue(b, out var base_) && base_.Ok && base_.Result!.ThroughputTokensPerS > 0
            ? r.Result!.ThroughputTokensPerS / base_.Result.ThroughputTokensPerS : null;

    /// <summary>The point's axis labels except the given axes, e.g. "batch=32 lengths=256/256".</summary>
    public static string Label(ResultRow r, params string[] except) =>
        string.Join(" ", r.Choices.Where(c => !except.Contains(c.Key)).Select(c => $"{c.Key}={c.Value}"));

    public static IEnumerable<IReadOnlyList<object?>> Rows(IReadOnlyList<ResultRow> rows)
    {
        var byId = rows.ToDictionary(r => r.Id);
        foreach (var r in rows)
        {
            var s = r.Result;
            var e = s?.EnergyBreakdownJPerToken;
            var pv = r.Provenance;
            yield return
            [
                r.Index, r.Id, r.Group, r.System, Label(r),
                .. Settings.Select(k => Param(r, k)), .. Parameters.HardwareParams.Select(k => Param(r, k)), r.Status,
                s?.ThroughputTokensPerS, Normalised(r, byId), r.BaselineId,
                s?.TtftS.P50, s?.TtftS.P90, s?.TtftS.P99, s?.TbtS.P50, s?.TbtS.P90, s?.TbtS.P99, s?.E2eS.P50, s?.E2eS.P90, s?.E2eS.P99,
                s?.EnergyJPerToken, e?.FcDram, e?.FcCompute, e?.AttentionDram, e?.AttentionCompute, e?.MoeDram, e?.MoeCompute, e?.Communication,
                s?.EffectiveBatch, s?.BatchReducedTo, s?.KvCapacityTokens, s?.RequestsCompleted, s?.SimulatedTimeS,
                pv.Model, pv.Hardware, pv.HardwareSource, pv.HardwareSha256, pv.Seed, pv.CodesignVersion, r.Error,
            ];
        }
    }

    static object? Param(ResultRow r, string key) => r.Params.TryGetValue(key, out var v)
        ? v is System.Text.Json.JsonElement j ? (j.ValueKind == System.Text.Json.JsonValueKind.Number ? j.GetDouble() : j.GetString()) : v
        : null;
}
