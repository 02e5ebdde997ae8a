// SPDX-License-Identifier: Apache-2.0
// `codesign rtl synth`: options and binding only.
using System.CommandLine;
using CoDesign.Rtl;

namespace CoDesign.Cli.Commands.Rtl;

public static class SynthCommand
{
    public static Command Create(CliContext ctx)
    {
        var unit = new Option<string>("--unit") { Description = "Unit to synthesise: gemm or mac", DefaultValueFactory = _ => "gemm" };
        var target = new Option<string>("--target") { Description = "generic (yosys gates) or xilinx (LUT/FF/DSP)", DefaultValueFactory = _ => "generic" };
        var config = new Option<string>("--config") { Description = "GEMM-module configuration (ci synthesises in seconds; published takes long)", DefaultValueFactory = _ => "ci" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds before yosys is stopped", DefaultValueFactory = _ => 600 };
        var format = CommonOptions.Format();
        var cmd = new Command("synth", "Synthesise a Logic-PIM unit with yosys and count cells, flip-flops, LUTs, DSPs")
            { unit, target, config, timeout, format };
        cmd.SetAction(p => SynthHandler.Run(p.GetValue(unit)!, p.GetValue(target)!, PimConfig.Get(p.GetValue(config)!, 1),
            TimeSpan.FromSeconds(p.GetValue(timeout)), p.GetValue(format), ctx));
        return cmd;
    }
}
