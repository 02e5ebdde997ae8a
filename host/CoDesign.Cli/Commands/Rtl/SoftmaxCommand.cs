// SPDX-License-Identifier: Apache-2.0
// `codesign rtl softmax` and `codesign rtl attention`: options and binding only.
using System.CommandLine;
using CoDesign.Rtl.Runs;

namespace CoDesign.Cli.Commands.Rtl;

public static class SoftmaxCommand
{
    public static Command Create(CliContext ctx)
    {
        var length = new Option<int>("--length") { Description = "Scores per row", DefaultValueFactory = _ => 1024 };
        var rows = new Option<int>("--rows") { Description = "Rows (e.g. query heads of a group)", DefaultValueFactory = _ => 1 };
        var format = CommonOptions.Format();
        var rtl = new RtlOptions();
        var cmd = new Command("softmax", "Softmax over score rows on the softmax unit (binary32 inside, binary16 out)") { length, rows, format };
        rtl.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var cfg = rtl.Resolve(p);
            RtlLimits.CheckSoftmax(cfg, p.GetValue(rows), p.GetValue(length), p.GetValue(rtl.AllowLongRun));
            var opts = rtl.RunOptions(p);
            var r = SoftmaxRunner.RunAsync(cfg, p.GetValue(rows), p.GetValue(length), p.GetValue(rtl.Seed), opts, ctx.Cancellation).GetAwaiter().GetResult();
            new RtlOpRenderer().Write(ctx.Out, [r], p.GetValue(format));
            return r.BitExactVsGolden ? ExitCodes.Success : ExitCodes.InternalFailure;
        });
        return cmd;
    }

    public static Command CreateAttention(CliContext ctx)
    {
        var context = new Option<int>("--context") { Description = "Context length (KV entries)", DefaultValueFactory = _ => 1024 };
        var group = new Option<int>("--group") { Description = "Query heads sharing the KV head (GQA group size)", DefaultValueFactory = _ => 4 };
        var format = CommonOptions.Format();
        var rtl = new RtlOptions();
        var cmd = new Command("attention", "Decode attention of one KV-head group: score GEMV, softmax, context GEMV") { context, group, format };
        rtl.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var cfg = rtl.Resolve(p);
            RtlLimits.CheckAttention(cfg, p.GetValue(context), p.GetValue(group), p.GetValue(rtl.AllowLongRun));
            var opts = rtl.RunOptions(p);
            var r = AttentionRunner.RunAsync(cfg, p.GetValue(context), p.GetValue(group), p.GetValue(rtl.Seed), opts, ctx.Cancellation).GetAwaiter().GetResult();
            new RtlOpRenderer().Write(ctx.Out, [r], p.GetValue(format));
            return r.BitExactVsGolden ? ExitCodes.Success : ExitCodes.InternalFailure;
        });
        return cmd;
    }
}
