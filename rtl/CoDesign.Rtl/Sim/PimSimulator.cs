// SPDX-License-Identifier: Apache-2.0
// Runs a PIM job on the Verilated cd_pim_tb through CliWrap (subprocess, binary framing through files).
using CliWrap;
using CliWrap.Buffered;
using CoDesign.Rtl.Build;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Sim;

/// <summary>
/// Batch co-simulation: the whole stimulus is known up front, so a subprocess with binary framing is as
/// fast as an in-process library (toolchain.md §5) and a crashing model cannot take the caller down.
/// </summary>
public static class PimSimulator
{
    public static async Task<PimRunResult> RunAsync(PimConfig cfg, PimJob job, PimRunOptions opts,
        CancellationToken ct = default)
    {
        cfg.Validate();
        if (opts.InProcess)
        {
            if (opts.TracePath is not null || opts.DramLogPath is not null)
                throw new CoDesign.Schema.InputException("--trace and --dram-log need the subprocess harness (drop --in-process)");
            return await PimNative.RunAsync(cfg, job, opts, ct);
        }
        bool act = job.Program.Any(i => i.Opcode is PimOpcode.Softmax or PimOpcode.Silu);
        var exe = await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.Pim(cfg, opts.TracePath is not null, act), ct);
        var work = Directory.CreateTempSubdirectory("codesign-pim-");
        try
        {
            string inPath = Path.Combine(work.FullName, "job.bin"), outPath = Path.Combine(work.FullName, "result.bin");
            job.Write(inPath);
            var args = new List<string> { "--in", inPath, "--out", outPath,
                "--max-cycles", opts.MaxCycles.ToString(), "--stall-cycles", opts.StallCycles.ToString() };
            if (opts.TracePath is not null) args.AddRange(["--trace", Path.GetFullPath(opts.TracePath)]);
            if (opts.DramLogPath is not null) args.AddRange(["--dram-log", Path.GetFullPath(opts.DramLogPath)]);
            if (opts.FreezeDramAtCycle is long f) args.AddRange(["--freeze-dram-at", f.ToString()]);

            using var wall = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wall.CancelAfter(opts.WallTimeout);
            BufferedCommandResult r;
            try
            {
                r = await CliWrap.Cli.Wrap(exe).WithArguments(args).WithValidation(CommandResultValidation.None)
                    .ExecuteBufferedAsync(wall.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new RtlWatchdogException(
                    $"watchdog: {cfg.Name} simulation ran past its {opts.WallTimeout.TotalSeconds:0} s wall-clock limit and was stopped");
            }
            string why = FirstLine(r.StandardError + "\n" + r.StandardOutput);
            return r.ExitCode switch
            {
                0 => PimJob.ReadResult(outPath),
                3 => throw new RtlWatchdogException($"watchdog: the model stopped making progress ({why})"),
                2 => throw new RtlWatchdogException($"watchdog: the model hit its cycle limit ({why})"),
                1 => throw new RtlException($"RTL assertion or error: {why}"),
                _ => throw new RtlException($"pim_main exited with {r.ExitCode}: {why}"),
            };
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    static string FirstLine(string s)
    {
        var lines = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.Contains("watchdog") || l.Contains("Error") || l.Contains("error"))
            ?? lines.FirstOrDefault() ?? "no message";
    }
}
