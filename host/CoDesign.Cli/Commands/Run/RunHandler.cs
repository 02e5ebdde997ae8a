using System.CommandLine;
using CoDesign.Reports;
using CoDesign.Runtime.Rtl;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Schema;
using CoDesign.Schema.Ops;

namespace CoDesign.Cli.Commands.Run;

public static class RunHandler
{
    public sealed record RunReport(string Model, string Weights, string Backend, string BackendDevice, string PimBackend, string PimDevice,
        bool ExpertCoProcessing, bool AttentionCoProcessing, string Plan, int MaxBatch, IReadOnlyList<RequestRow> Requests, IReadOnlyList<StageRecord> Stages, IReadOnlyList<OpRow> Ops,
        int GeneratedTokens, double WallSeconds, double TokensPerSecond, long PeakKvBytes, long KvBytesAtEnd, RtlRow? Rtl)
    {
        /// <summary>Prompt tokens not prefilled because --prefix-reuse copied their K and V; null without it.</summary>
        public long? PrefixTokensReused { get; init; }
    }

    /// <summary>What the Verilated Logic-PIM did (rtl backend only): GEMMs simulated and their cycles at the module clock.</summary>
    public sealed record RtlRow(long Gemms, long Cycles, double SimulatedSeconds);

    public sealed record RequestRow(int Id, int PromptTokens, int[] Generated, int AdmittedAtStage, int FinishedAtStage);
    public sealed record OpRow(string Side, string Op, long Calls, double Seconds);

    public static int Run(ParseResult p, TensorRunInputs inputs, string backend, OutputFormat format, CliContext ctx)
    {
        inputs.Cancellation = ctx.Cancellation;
        var weights = TensorRunInputs.LoadWeights(p.GetValue(inputs.Model)!, p.GetValue(inputs.Seed));
        var requests = inputs.Requests(p, weights);
        var options = inputs.EngineOptions(p, weights);
        var (xName, pName) = inputs.BackendNames(p, backend);
        var xf = TensorRunInputs.Factory(xName);
        var pf = TensorRunInputs.Factory(pName);
        EngineResult r;
        string xDev, pDev;
        RtlRow? rtl = null;
        // One instance when both sides name the same backend: backends are thread-safe, and a GPU then holds the weights once.
        var xpu = xf();
        var pim = pName == xName ? xpu : pf();
        try
        {
            xDev = xpu.Device; pDev = pim.Device;
            r = new InferenceEngine(weights, xpu, pim, options).Run(requests);
            var sims = new[] { xpu, pim }.Distinct().OfType<RtlBackend>().ToList();
            if (sims.Count > 0) rtl = new RtlRow(sims.Sum(s => s.GemmCount), sims.Sum(s => s.SimulatedCycles), sims.Sum(s => s.SimulatedSeconds));
        }
        finally
        {
            xpu.Dispose();
            if (!ReferenceEquals(pim, xpu)) pim.Dispose();
        }
        int generated = r.Requests.Sum(q => q.Generated.Length);
        var report = new RunReport(weights.Config.Name, weights.Origin, xName, xDev, pName, pDev, options.Plan.CoExperts, options.Plan.CoAttention, options.Plan.Source, options.MaxBatch,
            r.Requests.Select(q => new RequestRow(q.Id, q.PromptTokens, q.Generated, q.AdmittedAtStage, q.FinishedAtStage)).ToList(),
            r.Stages, r.OpTimes.Select(o => new OpRow(o.Side, o.Op.Name(), o.Calls, o.Seconds)).ToList(),
            generated, r.WallSeconds, generated / r.WallSeconds, r.PeakKvBytes, r.KvBytesAtEnd, rtl)
        { PrefixTokensReused = options.PrefixReuse ? r.PrefixTokensReused : null };
        Write(report, format, ctx.Out);
        return ExitCodes.Success;
    }

    static void Write(RunReport r, OutputFormat format, TextWriter w)
    {
        switch (format)
        {
            case OutputFormat.Json: Json.Write(w, r); return;
            case OutputFormat.Csv:
                Csv.Write(w, ["request", "prompt_tokens", "generated", "admitted_at_stage", "finished_at_stage"],
                    r.Requests.Select(q => (IReadOnlyList<object?>)[q.Id, q.PromptTokens, string.Join(' ', q.Generated), q.AdmittedAtStage, q.FinishedAtStage]));
                return;
        }
        w.WriteLine($"model {r.Model} ({r.Weights}); xPU backend {r.Backend} [{r.BackendDevice}]; PIM backend {r.PimBackend} [{r.PimDevice}]; " +
            $"expert co-processing {(r.ExpertCoProcessing ? "on" : "off")}, attention co-processing {(r.AttentionCoProcessing ? "on" : "off")} ({r.Plan}); max batch {r.MaxBatch}");
        var t = new TextTable("request", "prompt", "generated token ids", "stages");
        foreach (var q in r.Requests) t.Add(q.Id.ToString(), q.PromptTokens.ToString(), string.Join(' ', q.Generated), $"{q.AdmittedAtStage}-{q.FinishedAtStage}");
        t.Write(w);
        var s = new TextTable("stage", "kind", "requests", "prefill tok", "decode tok", "wall", "xPU busy", "PIM busy", "experts xPU/PIM", "decode attn on PIM", "on PIM", "KV in use")
        { Title = "stages" };
        foreach (var g in r.Stages)
            s.Add(g.Index.ToString(), g.Kind, g.Requests.ToString(), g.PrefillTokens.ToString(), g.DecodeTokens.ToString(), Units.Seconds(g.WallSeconds),
                Units.Seconds(g.XpuSeconds), Units.Seconds(g.PimSeconds), $"{g.ExpertRunsOnXpu}/{g.ExpertRunsOnPim}", g.DecodeAttentionOnPim.ToString(),
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
}
