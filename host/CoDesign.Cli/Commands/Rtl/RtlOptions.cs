// SPDX-License-Identifier: Apache-2.0
// Options shared by the rtl sub-verbs.
using System.CommandLine;
using CoDesign.Rtl;

namespace CoDesign.Cli.Commands.Rtl;

/// <summary>Module shape options; they start from a named configuration and override its fields.</summary>
public sealed class RtlOptions
{
    public Option<string> Config { get; } = new("--config")
    {
        Description = "GEMM-module configuration: published (64 lanes x 8 PUs, 8 KB input buffer) or ci (8 x 2)",
        DefaultValueFactory = _ => "published",
    };
    public Option<int?> Lanes { get; } = new("--lanes") { Description = "FP16 weights per cycle (MAC lanes per PU); overrides --config" };
    public Option<int?> Pus { get; } = new("--pus") { Description = "PUs = tokens per pass over the weights; overrides --config" };
    public Option<int> Bundles { get; } = new("--bundles")
    {
        Description = "Bank bundles that consecutive DRAM rows alternate over (1 = one bundle space, as published)",
        DefaultValueFactory = _ => 1,
    };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the random operands", DefaultValueFactory = _ => 1 };
    public Option<string?> Trace { get; } = new("--trace") { Description = "Write an FST waveform to this file" };
    public Option<string?> DramLog { get; } = new("--dram-log") { Description = "Write the DRAM command log (cycle kind bundle row col) here" };

    public Option<bool> InProcess { get; } = new("--in-process")
    {
        Description = "Drive the model in-process through its shared library instead of a harness subprocess",
    };

    public Option<bool> AllowLongRun { get; } = new("--allow-long-run")
    {
        Description = "Run a shape above the work limit (estimated simulated cycles, docs/input-limits.md); Ctrl-C stops it",
    };

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(InProcess);
        cmd.Options.Add(AllowLongRun);
        cmd.Options.Add(Config);
        cmd.Options.Add(Lanes);
        cmd.Options.Add(Pus);
        cmd.Options.Add(Bundles);
        cmd.Options.Add(Seed);
        cmd.Options.Add(Trace);
        cmd.Options.Add(DramLog);
    }

    public CoDesign.Rtl.Sim.PimRunOptions RunOptions(ParseResult p) => new()
    {
        TracePath = p.GetValue(Trace),
        DramLogPath = p.GetValue(DramLog),
        InProcess = p.GetValue(InProcess),
    };

    public PimConfig Resolve(ParseResult p)
    {
        var cfg = PimConfig.Get(p.GetValue(Config)!, p.GetValue(Bundles));
        if (p.GetValue(Lanes) is int l) cfg = cfg with { Name = cfg.Name + "*", Lanes = l };
        if (p.GetValue(Pus) is int t) cfg = cfg with { Name = cfg.Name + "*", Tokens = t };
        cfg.Validate();
        return cfg;
    }
}
