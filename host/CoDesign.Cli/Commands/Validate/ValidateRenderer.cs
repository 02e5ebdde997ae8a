using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Validate;

public sealed class ValidateRenderer : Renderer<ValidateHandler.Report>
{
    protected override void Table(TextWriter w, ValidateHandler.Report r)
    {
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
        if (r.Engine is { } e)
            w.WriteLine($"engine vs independent float64 decoder: {e.Steps} steps of {e.Requests} requests, max logit difference " +
                $"{Sci(e.MaxRelLogitDifference)} of max|logit| (bound {Sci(e.Bound)}), {e.TokenMismatches} tokens decisively different; " +
                (e.Pass ? "pass" : $"FAIL: {e.Reason}"));
        string tokens = r.TokensMatch ? "greedy tokens match" : r.Tokens.Any(q => q.Verdict == "mismatch") ? "greedy tokens differ" : "greedy tokens differ only at reference ties";
        w.WriteLine($"{tokens}; {(r.Pass ? "PASS" : "FAIL")}");
    }

    protected override void Csv(TextWriter w, ValidateHandler.Report r)
    {
        Reports.Csv.Write(w, ["side", "op", "calls", "max_abs_error", "max_rel_error", "tolerance", "pass"],
            r.Operators.Select(o => (IReadOnlyList<object?>)[o.Side, o.Op, o.Calls, o.MaxAbsError, o.MaxRelError, o.Tolerance, o.Pass]));
    }

    static string Sci(double x) => Units.Fixed(x, "0.00e+0");
}
