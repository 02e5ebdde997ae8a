using CoDesign.Reports;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Run;

/// <summary>
/// <c>run --draft-model DIR|tiny-draft --spec-k K</c>: real speculative decoding with greedy verification on the tensor
/// runtime (flag names as simulate's). The draft runs on the same backends with its own Program compiled for the same
/// --hardware; the report gives the tokens and the acceptance rate measured.
/// </summary>
public static class SpeculativeRun
{
    public sealed record SpecReport(string Model, string Draft, string Backend, int SpecK, IReadOnlyList<RunHandler.RequestRow> Requests,
        long Proposed, long Accepted, double AcceptanceRate, int VerifySteps, int DraftSteps, int GeneratedTokens, double WallSeconds);

    /// <summary>Before any weights are read.</summary>
    public static void CheckK(int specK)
    {
        if (specK < 1) throw new InputException($"--spec-k: {specK} must be at least 1 with --draft-model");
        if (specK > 16) throw new InputException($"--spec-k: {specK} is more than the 16 draft tokens one verify step may take");
    }

    public static int Run(TensorRunInputs.Resolved run, ModelWeights draftWeights, DuplexPlan draftPlan, int specK, OutputFormat format, CliContext ctx)
    {
        CheckK(specK);
        var (weights, requests, options, xName, pName) = run;
        var draftOptions = new EngineOptions { MaxBatch = options.MaxBatch, Plan = draftPlan, Cancellation = ctx.Cancellation };
        var xpu = TensorRunInputs.Factory(xName)();
        var pim = pName == xName && xName == "gpu" ? xpu : TensorRunInputs.Factory(pName)();
        SpeculativeResult r;
        try
        {
            var target = new InferenceEngine(weights, xpu, pim, options);
            var draft = new InferenceEngine(draftWeights, xpu, pim, draftOptions);
            r = new SpeculativeDecoder(target, draft, specK, options.MaxBatch).Run(requests, ctx.Cancellation);
        }
        finally
        {
            xpu.Dispose();
            if (!ReferenceEquals(pim, xpu)) pim.Dispose();
        }
        var rows = r.Requests.Select(q => new RunHandler.RequestRow(q.Id, q.PromptTokens, q.Generated, q.AdmittedAtStage, q.FinishedAtStage)).ToList();
        var report = new SpecReport(weights.Config.Name, draftWeights.Config.Name, xName, specK, rows, r.Proposed, r.Accepted, r.AcceptanceRate,
            r.VerifySteps, r.DraftSteps, rows.Sum(q => q.Generated.Length), r.WallSeconds);
        new SpeculativeRunRenderer().Write(ctx.Out, report, format);
        return ExitCodes.Success;
    }
}

/// <summary>What <c>run --draft-model</c> prints: each request's tokens and the acceptance measured.</summary>
public sealed class SpeculativeRunRenderer : Renderer<SpeculativeRun.SpecReport>
{
    protected override void Csv(TextWriter w, SpeculativeRun.SpecReport r) =>
        Reports.Csv.Write(w, ["request", "prompt_tokens", "generated", "admitted_at_stage", "finished_at_stage"],
            r.Requests.Select(q => (IReadOnlyList<object?>)[q.Id, q.PromptTokens, string.Join(' ', q.Generated), q.AdmittedAtStage, q.FinishedAtStage]));

    protected override void Table(TextWriter w, SpeculativeRun.SpecReport r)
    {
        w.WriteLine($"model {r.Model}, draft {r.Draft}, speculative decoding k = {r.SpecK} (greedy verification), backend {r.Backend}");
        var t = new TextTable("request", "prompt", "generated token ids", "steps");
        foreach (var q in r.Requests) t.Add(q.Id.ToString(), q.PromptTokens.ToString(), string.Join(' ', q.Generated), $"{q.AdmittedAtStage}-{q.FinishedAtStage}");
        t.Write(w);
        w.WriteLine($"draft tokens proposed {r.Proposed}, accepted {r.Accepted} (acceptance rate {Units.Fixed(r.AcceptanceRate, "0.000")}); " +
            $"{r.VerifySteps} verify steps, {r.DraftSteps} draft steps; {r.GeneratedTokens} tokens in {Units.Seconds(r.WallSeconds)}");
    }
}
