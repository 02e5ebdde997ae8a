// SPDX-License-Identifier: Apache-2.0
// `codesign rtl calibrate`: options and binding only.
using System.CommandLine;

namespace CoDesign.Cli.Commands.Rtl;

public static class CalibrateCommand
{
    public static Command Create(CliContext ctx)
    {
        var full = new Option<bool>("--full") { Description = "The full sweep (tokens 1-64, K and N 128-8192, context 128-8192, group 1-8); slow" };
        var write = new Option<string?>("--write") { Description = "Write the calibrated duplex hardware (protobuf JSON) to this file" };
        var format = CommonOptions.Format();
        var rtl = new RtlOptions();
        var cmd = new Command("calibrate", "Compare the analytic Logic-PIM model with RTL cycles per shape and fit its efficiency and overhead")
            { full, write, format };
        rtl.AddTo(cmd);
        cmd.SetAction(p => CalibrateHandler.Run(rtl.Resolve(p), p.GetValue(full), p.GetValue(rtl.Seed), p.GetValue(write),
            p.GetValue(format), ctx));
        return cmd;
    }
}
