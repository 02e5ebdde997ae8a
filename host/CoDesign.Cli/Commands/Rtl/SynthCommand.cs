// SPDX-License-Identifier: Apache-2.0
// `codesign rtl synth`: options and binding only.
using System.CommandLine;
using CoDesign.Rtl;

namespace CoDesign.Cli.Commands.Rtl;

public static class SynthCommand
{
    public static Command Create(CliContext ctx)
    {
        var unit = new Option<string>("--unit") { Description = "Unit to synthesise: gemm, mac, ctrl (operation controller), softmax, silu, or top (controller + GEMM + softmax + SiLU)", DefaultValueFactory = _ => "gemm" };
        var target = new Option<string>("--target") { Description = "generic (yosys gates) or xilinx (LUT/FF/DSP)", DefaultValueFactory = _ => "generic" };
        var config = new Option<string>("--config") { Description = "Logic-PIM configuration (ci synthesises in seconds to a minute or two; published takes long)", DefaultValueFactory = _ => "ci" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds before yosys is stopped", DefaultValueFactory = _ => 600 };
        var format = CommonOptions.Format();
        var cmd = new Command("synth", "Synthesise a Logic-PIM unit with yosys and count cells, flip-flops, LUTs, DSPs")
            { unit, target, config, timeout, format };
        cmd.SetAction(p => SynthHandler.Run(p.GetValue(unit)!, p.GetValue(target)!, PimConfig.Get(p.GetValue(config)!, 1),
            TimeSpan.FromSeconds(p.GetValue(timeout)), p.GetValue(format), ctx));
        return cmd;
    }
}
