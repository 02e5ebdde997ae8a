// SPDX-License-Identifier: Apache-2.0
// `codesign rtl gemv|gemm`: options and binding only.
using System.CommandLine;

namespace CoDesign.Cli.Commands.Rtl;

public static class GemmCommand
{
    public static Command Create(CliContext ctx, string name, string description, int defaultTokens)
    {
        var tokens = new Option<int>("--tokens", "-m") { Description = "Tokens (rows of X)", DefaultValueFactory = _ => defaultTokens };
        var k = new Option<int>("--k") { Description = "Reduction length", DefaultValueFactory = _ => 4096 };
        var n = new Option<int>("--n") { Description = "Output features", DefaultValueFactory = _ => 512 };
        var format = CommonOptions.Format();
        var rtl = new RtlOptions();
        var cmd = new Command(name, description) { tokens, k, n, format };
        rtl.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var cfg = rtl.Resolve(p);
            RtlLimits.CheckGemm(cfg, p.GetValue(tokens), p.GetValue(k), p.GetValue(n), p.GetValue(rtl.AllowLongRun));
            return GemmHandler.Run(name, cfg, p.GetValue(tokens), p.GetValue(k), p.GetValue(n), p.GetValue(rtl.Seed), rtl.RunOptions(p), p.GetValue(format), ctx);
        });
        return cmd;
    }
}
