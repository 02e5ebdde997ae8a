using System.CommandLine;

namespace CoDesign.Cli.Commands.Analyze;

/// <summary><c>codesign analyze</c>: every operator of one stage with FLOPs, bytes, Op/B, processor and why.</summary>
public static class AnalyzeCommand
{
    public static Command Create(CliContext ctx)
    {
        var sys = new SystemArgs();
        var decode = new Option<int>("--decode") { Description = "Decoding requests in the stage", DefaultValueFactory = _ => 0 };
        var context = new Option<int>("--context") { Description = "KV length of each decoding request", DefaultValueFactory = _ => 1024 };
        var prefill = new Option<string?>("--prefill") { Description = "Prefill requests as COUNTxTOKENS[,…], e.g. 1x2048 or 2x512,1x1024" };
        var expertTokens = new Option<string?>("--expert-tokens") { Description = "Explicit tokens per local expert, comma-separated (default: uniform top-k expectation)" };
        var specK = new Option<int>("--spec-k") { Description = "Verify step of speculative decoding: k draft tokens + 1 query per decoding request", DefaultValueFactory = _ => 0 };
        var format = CommonOptions.Format();
        var cmd = new Command("analyze", "Per-operator FLOPs, bytes, Op/B, placement and reason for one serving stage");
        sys.AddTo(cmd);
        foreach (var o in new Option[] { decode, context, prefill, expertTokens, specK, format }) cmd.Options.Add(o);
        cmd.SetAction(p => AnalyzeHandler.Run(sys.Program(p), p.GetValue(decode), p.GetValue(context), p.GetValue(prefill),
            p.GetValue(expertTokens), p.GetValue(format), ctx, p.GetValue(specK)));
        return cmd;
    }
}
