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
        var result = new
        {
            model = program.Model.Name,
            hardware = program.Hardware.Name,
            devices = program.System.Devices,
            batch,
            requests,
            input_len = inputLen,
            output_len = outputLen,
            output_tokens = warm.OutputTokens,
            stages = warm.Stages,
            compile_s = compileS,
            min_s = times[0],
            median_s = times[times.Count / 2],
            stages_per_s = warm.Stages / times[0],
            processor_count = Environment.ProcessorCount,
            date_utc = DateTime.UtcNow.ToString("yyyy-MM-dd"),
        };
        if (format == OutputFormat.Json) Json.Write(ctx.Out, result);
        else
            ctx.Out.WriteLine($"simulate {result.model} on {result.devices} x {result.hardware}, batch {batch}, {inputLen}/{outputLen}, {requests} requests " +
                $"({Units.Number(warm.OutputTokens)} output tokens, {Units.Number(warm.Stages)} stages): min {Units.Seconds(times[0])}, " +
                $"median {Units.Seconds(result.median_s)} over {repeat} runs (compile {Units.Seconds(compileS)}; {Environment.ProcessorCount} cores visible, simulator single-threaded)");
        return ExitCodes.Success;
    }
}
