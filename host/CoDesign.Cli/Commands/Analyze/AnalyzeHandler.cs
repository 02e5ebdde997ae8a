using System.Globalization;
using CoDesign.Compiler.Analysis;
using CoDesign.Machine.Stages;
using CoDesign.Reports;
using CoDesign.Runtime.Serving.Validation;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Analyze;

public static class AnalyzeHandler
{
    public static int Run(Schema.V1.Program program, int decode, int context, string? prefill, string? expertTokens,
        OutputFormat format, CliContext ctx, int specK = 0)
    {
        var shape = BuildShape(decode, context, prefill, program.Model.SlidingWindow, specK);
        var tokens = expertTokens is null ? null : ParseList(expertTokens, "--expert-tokens");
        var a = StageAnalyzer.Analyze(program, shape, tokens);
        new AnalyzeRenderer().Write(ctx.Out, new AnalyzeOutput(a, program.Hardware, Techniques.FormatNotes.Describe(program, specK)), format);
        return ExitCodes.Success;
    }

    public static StageShape BuildShape(int decode, int context, string? prefill, double slidingWindowTokens = 0, int specK = 0)
    {
        if (decode < 0) throw new InputException($"--decode must not be negative, got {decode}");
        if (context < 1) throw new InputException($"--context must be at least 1, got {context}");
        TechniqueLimits.SpecK.Check(specK, "--spec-k", "analyze");
        var shape = new StageShape(slidingWindowTokens);
        // A verify step: k drafts + 1 query tokens per decoding request over one read of its KV.
        for (int i = 0; i < decode; i++) shape.AddDecode(context, specK + 1, context);
        if (prefill is not null)
            foreach (var part in prefill.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var xy = part.Split('x', 'X');
                if (xy.Length != 2 || !int.TryParse(xy[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                    || !int.TryParse(xy[1], NumberStyles.None, CultureInfo.InvariantCulture, out int len) || n < 1 || len < 1)
                    throw new InputException($"--prefill: '{part}' is not COUNTxTOKENS with positive numbers (e.g. 1x2048)");
                for (int i = 0; i < n; i++) shape.AddPrefill(len);
            }
        return shape;
    }

    static double[] ParseList(string s, string name) =>
        s.Split(',', StringSplitOptions.TrimEntries).Select(v =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d)
                ? d : throw new InputException($"{name}: '{v}' is not a non-negative number")).ToArray();
}
