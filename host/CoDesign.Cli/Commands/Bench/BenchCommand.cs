using System.CommandLine;

namespace CoDesign.Cli.Commands.Bench;

/// <summary><c>codesign bench simulate</c>: the simulator speed benchmark recorded in docs/benchmarks.md.</summary>
public static class BenchCommand
{
    public static Command Create(CliContext ctx)
    {
        var sys = new SystemArgs(readsPrograms: false);
        var batch = new Option<int>("--batch", "-b") { Description = "Closed-loop batch", DefaultValueFactory = _ => 128 };
        var requests = new Option<int>("--requests", "-n") { Description = "Requests per run", DefaultValueFactory = _ => 2000 };
        var inputLen = new Option<int>("--input-len") { DefaultValueFactory = _ => 1024 };
        var outputLen = new Option<int>("--output-len") { DefaultValueFactory = _ => 1024 };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs after one warm-up", DefaultValueFactory = _ => 5 };
        var format = CommonOptions.Format();
        var simulate = new Command("simulate", "Time the serving simulator (default: the issue's goal case, Mixtral-8x7B on 4 Duplex devices, batch 128, 1024/1024, 2000 requests)");
        sys.AddTo(simulate);
        foreach (var o in new Option[] { batch, requests, inputLen, outputLen, repeat, format }) simulate.Options.Add(o);
        // The goal case is the default model so `codesign bench simulate` needs no arguments.
        sys.Model.Required = false;
        sys.Model.DefaultValueFactory = _ => "mixtral-8x7b";
        sys.Devices.DefaultValueFactory = _ => 4;
        simulate.SetAction(p => BenchHandler.Simulate(() => sys.Compile(p), p.GetValue(batch), p.GetValue(requests),
            p.GetValue(inputLen), p.GetValue(outputLen), p.GetValue(repeat), p.GetValue(format), ctx));
        var cmd = new Command("bench", "Benchmarks whose results go in docs/benchmarks.md");
        cmd.Subcommands.Add(simulate);
        return cmd;
    }
}
