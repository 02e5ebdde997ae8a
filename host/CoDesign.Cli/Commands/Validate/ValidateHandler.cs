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
        IReadOnlyList<OpRow> Operators, IReadOnlyList<TokenRow> Tokens, bool TokensMatch, EngineCheck? Engine, bool Pass);

    public static int Run(TensorRunInputs.Resolved run, OutputFormat format, CliContext ctx)
    {
        var (weights, requests, options, xName, pName) = run;
        // Separate instances per side, as run makes them (one shared gpu instance).
        var v = Validator.Run(weights, requests, TensorRunInputs.Factory(xName), pName == xName && xName == "gpu" ? null : TensorRunInputs.Factory(pName), options);
        // A side's precision, with the operator kinds that keep narrower operands (e.g. the gpu backend's FP16 KV cache).
        static string Describe(Precision p, IReadOnlyDictionary<OpKind, Precision> exceptions) =>
            p + string.Concat(exceptions.OrderBy(e => e.Key).Select(e => $"; {e.Key.Name()} {e.Value}"));
        var report = new Report(weights.Config.Name, weights.Origin, v.Backend, v.PimBackend, Describe(v.XpuPrecision, v.XpuExceptions),
            Describe(v.PimPrecision, v.PimExceptions), v.LogitTolerance,
            v.Ops.Select(o => new OpRow(o.Side, o.Op.Name(), o.Calls, o.MaxAbsError, o.MaxRelError, o.Tolerance, o.Pass)).ToList(),
            v.Tokens.Select(t => new TokenRow(t.RequestId, t.Verdict, t.FirstDifference, t.ReferenceMargin, t.MarginTolerance, t.Reference, t.Candidate, t.Reason)).ToList(),
            v.Tokens.All(t => t.Verdict == "match"), v.Engine, v.Pass);
        new ValidateRenderer().Write(ctx.Out, report, format);
        if (!report.Pass) ctx.Err.WriteLine($"codesign: validation failed: {xName}/{pName} differs from reference beyond the derived tolerances");
        return report.Pass ? ExitCodes.Success : ExitCodes.InternalFailure;
    }
}
