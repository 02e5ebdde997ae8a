using System.CommandLine;

namespace CoDesign.Cli.Commands.Sweep;

/// <summary>
/// <c>codesign sweep [FILE] [--axis NAME=V,…]… [--study NAME] [--out RESULTS.jsonl] [--shard i/N]</c> and
/// <c>codesign sweep merge OUT SHARD…</c>: design-space sweeps, resumable and shardable.
/// </summary>
public static class SweepCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string?>("sweep-file") { Description = "Sweep file (JSON: groups of axes, fixed settings and a baseline)", Arity = ArgumentArity.ZeroOrOne };
        var axis = new Option<string[]>("--axis", "-a") { Description = "A swept parameter, NAME=V1,V2,… (repeatable; one value = fixed), e.g. batch=32,64 or hardware=h100,duplex", AllowMultipleArgumentsPerToken = false };
        var baseline = new Option<string[]>("--baseline") { Description = "Normalise to this axis value, NAME=VALUE (with --axis), e.g. hardware=h100" };
        var set = new Option<string[]>("--set") { Description = "Set a parameter on every point, NAME=VALUE (repeatable; overrides the file, study and axes), e.g. seed=2 or requests=512" };
        var zip = new Option<bool>("--zip") { Description = "Take the i-th value of every --axis together instead of the cartesian product" };
        var study = new Option<string?>("--study") { Description = "A built-in study instead of a file: duplex-paper (the Duplex MICRO 2024 evaluation grid)" };
        var output = new Option<string?>("--out", "-o") { Description = "Results file (JSON Lines), appended as points finish and resumed on rerun (default: NAME.jsonl)" };
        var shard = new Option<string?>("--shard") { Description = "Run slice i of N (points with index = i-1 mod N), e.g. 2/8 for array jobs; join with 'sweep merge'" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Points run at once (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var list = new Option<bool>("--list") { Description = "Print the points (index, id, group, axis values) without running them" };
        var allowLong = new Option<bool>("--allow-long-run") { Description = "Run a sweep above the work limit (points or estimated stages, docs/input-limits.md) with progress; Ctrl-C stops it" };
        var format = CommonOptions.Format();
        var cmd = new Command("sweep", "Run a design-space sweep in parallel; resumable (rerun to continue) and shardable");
        cmd.Arguments.Add(file);
        foreach (var o in new Option[] { axis, baseline, set, zip, study, output, shard, jobs, list, allowLong, format }) cmd.Options.Add(o);
        cmd.SetAction((p, ct) =>
        {
            // Ctrl-C reaches the CLI as ctx.Cancellation (Program.cs); the parser's own token is honoured too.
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct, ctx.Cancellation);
            return Task.FromResult(SweepHandler.Run(new SweepHandler.Args(p.GetValue(file), p.GetValue(axis) ?? [], p.GetValue(baseline) ?? [], p.GetValue(set) ?? [],
                p.GetValue(zip), p.GetValue(study), p.GetValue(output), p.GetValue(shard), p.GetValue(jobs), p.GetValue(list), p.GetValue(format), p.GetValue(allowLong)), ctx, cancel.Token));
        });
        cmd.Subcommands.Add(MergeCommand(ctx));
        return cmd;
    }

    static Command MergeCommand(CliContext ctx)
    {
        var output = new Argument<string>("out") { Description = "Merged results file to write" };
        var inputs = new Argument<string[]>("shards") { Description = "Results files of the shards (or of reruns)", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("merge", "Join shard results: each point once (by id), in canonical order — the same file as an unsharded run");
        cmd.Arguments.Add(output);
        cmd.Arguments.Add(inputs);
        cmd.SetAction(p => SweepHandler.Merge(p.GetValue(output)!, p.GetValue(inputs)!, ctx));
        return cmd;
    }
}
