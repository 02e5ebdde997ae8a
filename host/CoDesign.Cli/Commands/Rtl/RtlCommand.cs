// SPDX-License-Identifier: Apache-2.0
// `codesign rtl ...`: simulate the Logic-PIM RTL (Verilator), synthesise it (yosys), calibrate the analytic model.
using System.CommandLine;

namespace CoDesign.Cli.Commands.Rtl;

public static class RtlCommand
{
    public static Command Create(CliContext ctx)
    {
        var rtl = new Command("rtl", "Logic-PIM RTL: co-simulate operators with Verilator, synthesise, calibrate");
        rtl.Subcommands.Add(GemmCommand.Create(ctx, "gemv", "GEMV (few tokens) on one GEMM module", defaultTokens: 1));
        rtl.Subcommands.Add(GemmCommand.Create(ctx, "gemm", "GEMM (tokens in passes of --pus) on one GEMM module", defaultTokens: 32));
        rtl.Subcommands.Add(SoftmaxCommand.Create(ctx));
        rtl.Subcommands.Add(SoftmaxCommand.CreateAttention(ctx));
        rtl.Subcommands.Add(SynthCommand.Create(ctx));
        rtl.Subcommands.Add(CalibrateCommand.Create(ctx));
        return rtl;
    }
}
