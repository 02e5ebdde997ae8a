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

    public static int Run(TensorRunInputs.Resolved run, OutputFormat format, CliContext ctx)
    {
        var (weights, requests, options, xName, pName) = run;
        var xf = TensorRunInputs.Factory(xName);
        var pf = TensorRunInputs.Factory(pName);
        EngineResult r;
        string xDev, pDev;
        RtlRow? rtl = null;
        // The xPU and the PIM side are separate backend instances (their own threads and caches), so co-processing
        // runs the two concurrently. The gpu backend is the exception: one instance keeps one copy of the weights on
        // the device, and its calls are serialised on that device (docs/runtime-tensors.md).
        var xpu = xf();
        var pim = pName == xName && xName == "gpu" ? xpu : pf();
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
        new RunRenderer().Write(ctx.Out, report, format);
        return ExitCodes.Success;
    }
}
