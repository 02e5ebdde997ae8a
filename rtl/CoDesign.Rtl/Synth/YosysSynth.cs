// SPDX-License-Identifier: Apache-2.0
// Synthesises a Logic-PIM unit with yosys (generic gates or an FPGA target) and counts what came out.
using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using CoDesign.Rtl.Build;
using CoDesign.Schema;

namespace CoDesign.Rtl.Synth;

/// <summary>Cell counts of one synthesis run.</summary>
public sealed record SynthReport(string Unit, string Top, string Target, string Config, long Cells, long FlipFlops,
    long Luts, long Dsps, IReadOnlyDictionary<string, long> CellTypes, double Seconds);

public static partial class YosysSynth
{
    /// <summary>A synthesizable unit: top module, sources, its parameters for a configuration, and whether
    /// yosys flattens it. Hierarchical units are synthesised module by module (each binary32 unit once, however
    /// many instances): seconds instead of minutes for the softmax and SiLU units' chains of binary32
    /// multipliers, at the price of no constant propagation across module boundaries (so their counts are
    /// upper bounds).</summary>
    sealed record UnitSpec(string Top, string[] Files, Func<PimConfig, string> Params, bool Flatten);

    static readonly string[] Fp32Files =
        ["cd_fp32_add.sv", "cd_fp32_mul.sv", "cd_fp32_exp.sv", "cd_fp32_recip.sv", "cd_fp32_to_fp16.sv"];
    static readonly string[] GemmFiles = ["cd_fp32_add.sv", "cd_gemm.sv"];

    static string GemmParams(PimConfig c) =>
        $"-set Lanes {c.Lanes} -set Tokens {c.Tokens} -set IbufRows {c.IbufRows} -set ObufRows {c.ObufRows}";

    /// <summary>Synthesizable units by name. The DRAM model and cd_pim_tb are behavioural.</summary>
    static readonly Dictionary<string, UnitSpec> Units = new()
    {
        ["mac"] = new("cd_mac_lane", ["cd_pkg.sv", "cd_fp16_mul.sv", "cd_fp32_add.sv", "cd_mac_lane.sv"], _ => "", Flatten: true),
        ["gemm"] = new("cd_gemm", ["cd_pkg.sv", .. GemmFiles], GemmParams, Flatten: true),
        ["ctrl"] = new("cd_op_ctrl", ["cd_pkg.sv", "cd_op_ctrl.sv"],
            c => $"{GemmParams(c)} -set SmMaxLen {c.SoftmaxMaxLen}", Flatten: false),
        ["softmax"] = new("cd_softmax", ["cd_pkg.sv", .. Fp32Files, "cd_adder_tree.sv", "cd_softmax.sv"],
            c => $"-set MaxLen {c.SoftmaxMaxLen} -set Lanes {c.SoftmaxLanes}", Flatten: false),
        ["silu"] = new("cd_silu", ["cd_pkg.sv", .. Fp32Files, "cd_silu.sv"], _ => "", Flatten: false),
        ["top"] = new("cd_pim_top",
            ["cd_pkg.sv", .. Fp32Files, "cd_fp16_mul.sv", "cd_adder_tree.sv", "cd_gemm.sv", "cd_softmax.sv",
             "cd_silu.sv", "cd_op_ctrl.sv", "cd_pim_top.sv"],
            c => $"{GemmParams(c)} -set SmMaxLen {c.SoftmaxMaxLen} -set SmLanes {c.SoftmaxLanes} -set ActUnits 1", Flatten: false),
    };

    public static IReadOnlyCollection<string> UnitNames => Units.Keys;

    /// <param name="onPass">progress: (passes done, passes in the script, pass name) as yosys starts each pass of the
    /// synthesis command, and (total, total, "done") at the end; null: yosys runs quietly.</param>
    public static async Task<SynthReport> RunAsync(string unit, string target, PimConfig cfg, TimeSpan timeout,
        CancellationToken ct = default, Action<int, int, string>? onPass = null)
    {
        if (!Units.TryGetValue(unit, out var u))
            throw new InputException($"unknown unit '{unit}' (units: {string.Join(", ", Units.Keys)})");
        string flatten = u.Flatten ? " -flatten" : "";
        string synth = target switch
        {
            "generic" => $"synth -top {u.Top}{flatten}",
            "xilinx" => $"synth_xilinx -top {u.Top}{flatten}",
            _ => throw new InputException($"unknown target '{target}' (generic, xilinx)"),
        };
        var yosys = ToolLocator.Require("yosys", "yosys");
        var work = Directory.CreateTempSubdirectory("codesign-synth-");
        try
        {
            string stat = Path.Combine(work.FullName, "stat.txt");
            var files = string.Join(' ', u.Files.Distinct().Select(f => RtlSources.HwFile(f)));
            string p = u.Params(cfg);
            string chparam = p.Length > 0 ? $"chparam {p} {u.Top}; " : "";
            // stat -top adds a design-hierarchy block (totals over all instances) last, which is the block parsed.
            string script = $"read_verilog -sv -DSYNTHESIS {files}; {chparam}hierarchy -top {u.Top}; {synth}; tee -q -o {stat} stat -top {u.Top}";
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            BufferedCommandResult r;
            try
            {
                r = onPass is null
                    ? await CliWrap.Cli.Wrap(yosys).WithArguments(["-q", "-p", script]).WithWorkingDirectory(work.FullName)
                        .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cts.Token)
                    : await RunCountingAsync(yosys, script, work.FullName, synth.Split(' ')[0], synth.Split(' ').Skip(1).ToArray(), onPass, cts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new RtlWatchdogException($"watchdog: yosys ran past {timeout.TotalSeconds:0} s on {unit} ({cfg.Name}); try a smaller --config");
            }
            if (r.ExitCode != 0 || !File.Exists(stat))
            {
                var err = (r.StandardError + r.StandardOutput).Split('\n').FirstOrDefault(l => l.Contains("ERROR")) ?? $"exit {r.ExitCode}";
                throw new RtlException($"yosys failed on {unit}: {err.Trim()}");
            }
            var types = ParseCellTypes(File.ReadAllText(stat));
            long Sum(Func<string, bool> f) => types.Where(kv => f(kv.Key)).Sum(kv => kv.Value);
            return new SynthReport(unit, u.Top, target, cfg.Name, types.Values.Sum(),
                FlipFlops: Sum(t => t.Contains("DFF") || Regex.IsMatch(t, "^FD[A-Z]*$")),
                Luts: Sum(t => t.StartsWith("LUT", StringComparison.Ordinal)),
                Dsps: Sum(t => t.StartsWith("DSP", StringComparison.Ordinal)),
                types, sw.Elapsed.TotalSeconds);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>yosys with its log on stdout, read line by line: each pass header of the synthesis command is reported;
    /// only error lines are kept (the full log of a large unit runs to megabytes).</summary>
    static async Task<BufferedCommandResult> RunCountingAsync(string yosys, string script, string dir, string command, string[] flags,
        Action<int, int, string> onPass, CancellationToken ct)
    {
        int total = await SynthProgress.CountPassesAsync(yosys, command, flags, ct);
        int? number = null;
        int done = 0;
        var kept = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        onPass(0, total, "start");
        void Line(string line)
        {
            if (line.Contains("ERROR", StringComparison.Ordinal)) kept.AppendLine(line);
            number ??= SynthProgress.CommandNumber(line, command);
            if (number is { } n && SynthProgress.Parse(line, n) is { } pass)
            {
                done = Math.Max(done, pass.Index - 1);   // the pass before this one has finished
                onPass(Math.Min(done, total), total, pass.Pass);
            }
        }
        var r = await CliWrap.Cli.Wrap(yosys).WithArguments(["-p", script]).WithWorkingDirectory(dir)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Line)).WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None).ExecuteAsync(ct);
        if (r.ExitCode == 0) onPass(total, total, "done");
        return new BufferedCommandResult(r.ExitCode, r.StartTime, r.ExitTime, kept.ToString(), stderr.ToString());
    }

    /// <summary>Cell-type lines of the last statistics block (the top, or the design-hierarchy totals of a
    /// hierarchical run): "     $_AND_      150".</summary>
    public static Dictionary<string, long> ParseCellTypes(string stat)
    {
        int at = stat.LastIndexOf("Number of cells:", StringComparison.Ordinal);
        if (at < 0) throw new RtlException("yosys printed no cell statistics");
        var types = new Dictionary<string, long>();
        foreach (var line in stat[at..].Split('\n').Skip(1))
        {
            var m = CellLine().Match(line);
            if (!m.Success) { if (line.Trim().Length == 0) break; continue; }
            types[m.Groups[1].Value] = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return types;
    }

    [GeneratedRegex(@"^\s+(\S+)\s+(\d+)\s*$")]
    private static partial Regex CellLine();
}
