using System.CommandLine;
using CoDesign.Reports;
using CoDesign.Runtime.Tensors.Execution;
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

    public static int Run(ParseResult p, TensorRunInputs inputs, string draftModel, int specK, string backend, OutputFormat format, CliContext ctx)
    {
        if (specK < 1) throw new InputException($"--spec-k: {specK} must be at least 1 with --draft-model");
        if (specK > 16) throw new InputException($"--spec-k: {specK} is more than the 16 draft tokens one verify step may take");
        var weights = TensorRunInputs.LoadWeights(p.GetValue(inputs.Model)!, p.GetValue(inputs.Seed));
        var draftWeights = TensorRunInputs.LoadWeights(draftModel, p.GetValue(inputs.Seed));
        var requests = inputs.Requests(p, weights);
        var options = inputs.EngineOptions(p, weights);
        var draftOptions = new EngineOptions { MaxBatch = options.MaxBatch, Plan = DuplexPlan.FromProgram(inputs.Compile(p, draftWeights.Config)), Cancellation = ctx.Cancellation };
        var (xName, pName) = inputs.BackendNames(p, backend);
        var xpu = TensorRunInputs.Factory(xName)();
        var pim = pName == xName ? xpu : TensorRunInputs.Factory(pName)();
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
        switch (format)
        {
            case OutputFormat.Json: Json.Write(ctx.Out, report); break;
            case OutputFormat.Csv:
                Csv.Write(ctx.Out, ["request", "prompt_tokens", "generated", "admitted_at_stage", "finished_at_stage"],
                    rows.Select(q => (IReadOnlyList<object?>)[q.Id, q.PromptTokens, string.Join(' ', q.Generated), q.AdmittedAtStage, q.FinishedAtStage]));
                break;
            default:
                ctx.Out.WriteLine($"model {report.Model}, draft {report.Draft}, speculative decoding k = {specK} (greedy verification), backend {xName}");
                var t = new TextTable("request", "prompt", "generated token ids", "steps");
                foreach (var q in rows) t.Add(q.Id.ToString(), q.PromptTokens.ToString(), string.Join(' ', q.Generated), $"{q.AdmittedAtStage}-{q.FinishedAtStage}");
                t.Write(ctx.Out);
                ctx.Out.WriteLine($"draft tokens proposed {report.Proposed}, accepted {report.Accepted} (acceptance rate {report.AcceptanceRate:0.000}); " +
                    $"{report.VerifySteps} verify steps, {report.DraftSteps} draft steps; {report.GeneratedTokens} tokens in {Units.Seconds(report.WallSeconds)}");
                break;
        }
        return ExitCodes.Success;
    }
}
