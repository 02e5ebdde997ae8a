using System.CommandLine;
using CoDesign.Cli.Commands.Run;
using CoDesign.Reports;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Validation;
using CoDesign.Schema;
using CoDesign.Schema.Ops;
using CoDesign.Schema.V1;

namespace CoDesign.Cli.Commands.Validate;

public static class ValidateHandler
{
    public sealed record OpRow(string Side, string Op, long Calls, double MaxAbsError, double MaxRelError, double Tolerance, bool Pass);
    public sealed record TokenRow(int Request, string Verdict, int FirstDifference, double ReferenceMargin, double MarginTolerance, int[] Reference, int[] Candidate, string Reason);
    public sealed record Report(string Model, string Weights, string Backend, string PimBackend, string XpuPrecision, string PimPrecision, double LogitTolerance,
        IReadOnlyList<OpRow> Operators, IReadOnlyList<TokenRow> Tokens, bool TokensMatch, bool Pass);

    public static int Run(ParseResult p, TensorRunInputs inputs, string backend, OutputFormat format, CliContext ctx)
    {
        var weights = TensorRunInputs.LoadWeights(p.GetValue(inputs.Model)!, p.GetValue(inputs.Seed));
        var requests = inputs.Requests(p, weights);
        var options = inputs.EngineOptions(p, weights);
        var (xName, pName) = inputs.BackendNames(p, backend);
        var v = Validator.Run(weights, requests, TensorRunInputs.Factory(xName), pName == xName ? null : TensorRunInputs.Factory(pName), options);
        // A side's precision, with the operator kinds that keep narrower operands (e.g. the gpu backend's FP16 KV cache).
        static string Describe(Precision p, IReadOnlyDictionary<OpKind, Precision> exceptions) =>
            p + string.Concat(exceptions.OrderBy(e => e.Key).Select(e => $"; {e.Key.Name()} {e.Value}"));
        var report = new Report(weights.Config.Name, weights.Origin, v.Backend, v.PimBackend, Describe(v.XpuPrecision, v.XpuExceptions),
            Describe(v.PimPrecision, v.PimExceptions), v.LogitTolerance,
            v.Ops.Select(o => new OpRow(o.Side, o.Op.Name(), o.Calls, o.MaxAbsError, o.MaxRelError, o.Tolerance, o.Pass)).ToList(),
            v.Tokens.Select(t => new TokenRow(t.RequestId, t.Verdict, t.FirstDifference, t.ReferenceMargin, t.MarginTolerance, t.Reference, t.Candidate, t.Reason)).ToList(),
            v.Tokens.All(t => t.Verdict == "match"), v.Pass);
        Write(report, format, ctx.Out);
        if (!report.Pass) ctx.Err.WriteLine($"codesign: validation failed: {xName}/{pName} differs from reference beyond the derived tolerances");
        return report.Pass ? ExitCodes.Success : ExitCodes.InternalFailure;
    }

    static string Sci(double x) => CoDesign.Schema.Units.Fixed(x, "0.00e+0");

    static void Write(Report r, OutputFormat format, TextWriter w)
    {
        switch (format)
        {
            case OutputFormat.Json: Json.Write(w, r); return;
            case OutputFormat.Csv:
                Csv.Write(w, ["side", "op", "calls", "max_abs_error", "max_rel_error", "tolerance", "pass"],
                    r.Operators.Select(o => (IReadOnlyList<object?>)[o.Side, o.Op, o.Calls, o.MaxAbsError, o.MaxRelError, o.Tolerance, o.Pass]));
                return;
        }
        w.WriteLine($"model {r.Model} ({r.Weights}); backend {r.Backend}, PIM backend {r.PimBackend} vs reference (float64); " +
            $"xPU {r.XpuPrecision}; PIM {r.PimPrecision}");
        w.WriteLine($"tolerance per operator (normwise relative) = 8·Σ_reductions gain·(2·u_operand + (1 + √K)·u_accumulate); greedy-token ties below {Sci(r.LogitTolerance)}·max|logit|");
        var t = new TextTable("side", "operator", "calls", "max abs error", "max rel error", "tolerance", "result");
        foreach (var o in r.Operators) t.Add(o.Side, o.Op, o.Calls.ToString(), Sci(o.MaxAbsError), Sci(o.MaxRelError), Sci(o.Tolerance), o.Pass ? "pass" : "FAIL");
        t.Write(w);
        var k = new TextTable("request", "greedy tokens", "first difference", "reference margin", "margin tolerance") { Title = "tokens" };
        foreach (var q in r.Tokens)
            k.Add(q.Request.ToString(), q.Verdict, q.FirstDifference < 0 ? "-" : q.FirstDifference.ToString(),
                q.FirstDifference < 0 ? "-" : Sci(q.ReferenceMargin), q.FirstDifference < 0 ? "-" : Sci(q.MarginTolerance));
        k.Write(w);
        w.WriteLine($"excused ties: {r.Tokens.Count(q => q.Verdict == "tie")} of {r.Tokens.Count} requests");
        foreach (var q in r.Tokens.Where(q => q.Verdict != "match")) w.WriteLine($"request {q.Request} {q.Verdict}: {q.Reason}");
        string tokens = r.TokensMatch ? "greedy tokens match" : r.Tokens.Any(q => q.Verdict == "mismatch") ? "greedy tokens differ" : "greedy tokens differ only at reference ties";
        w.WriteLine($"{tokens}; {(r.Pass ? "PASS" : "FAIL")}");
    }
}
