using System.Diagnostics;
using CoDesign.Reports;
using CoDesign.Runtime.Serving;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.Bench;

public static class BenchHandler
{
    public static int Simulate(Func<Schema.V1.Program> compile, int batch, int requests, int inputLen, int outputLen, int repeat,
        OutputFormat format, CliContext ctx)
    {
        if (repeat < 1) throw new InputException("--repeat must be at least 1");
        var sw = Stopwatch.StartNew();
        var program = compile();
        double compileS = sw.Elapsed.TotalSeconds;
        var options = new WorkloadOptions { Batch = batch, Requests = requests, InputLen = inputLen, OutputLen = outputLen };
        var warm = ServingSimulator.Run(program, options, ct: ctx.Cancellation);   // JIT and caches, not timed
        var times = new List<double>();
        for (int i = 0; i < repeat; i++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            sw.Restart();
            var r = ServingSimulator.Run(program, options, ct: ctx.Cancellation);
            times.Add(sw.Elapsed.TotalSeconds);
            if (r.ThroughputTokensPerS != warm.ThroughputTokensPerS) throw new InvalidOperationException("simulation is not deterministic");
        }
        times.Sort();
        var result = new BenchResult(program.Model.Name, program.Hardware.Name, program.System.Devices, batch, requests, inputLen, outputLen,
            warm.OutputTokens, warm.Stages, compileS, times[0], times[times.Count / 2], repeat, warm.Stages / times[0],
            Environment.ProcessorCount, DateTime.UtcNow.ToString("yyyy-MM-dd"));
        new BenchRenderer().Write(ctx.Out, result, format);
        return ExitCodes.Success;
    }
}
