using System.CommandLine;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.Programs;
using CoDesign.Schema.V1;
using CoDesign.Sweeps.Options;

namespace CoDesign.Cli;

/// <summary>
/// The options that say what to compile — model, data types, hardware, devices, parallelism, co-processing,
/// placement — shared by every verb that compiles a Program, so they are spelled and checked the same way; and
/// <c>--program</c>, a Program that <c>codesign compile</c> wrote, which replaces the compilation. Flags given next
/// to <c>--program</c> must agree with it.
/// </summary>
/// <param name="readsPrograms">false for 'compile', which writes Programs: --model is then required and --program absent</param>
public sealed class SystemArgs(bool readsPrograms = true)
{
    public Option<string?> ProgramFile { get; } = ProgramArgs.Option();
    public Option<string> Model { get; } = CommonOptions.Model(required: !readsPrograms);
    public Option<string> Hardware { get; } = CommonOptions.Hardware();
    public Option<int> Devices { get; } = new("--devices", "-d") { Description = "Number of devices (nodes of at most 8; more devices means more nodes)", DefaultValueFactory = _ => 1 };
    public Option<string?> MoeParallelism { get; } = ProgramArgs.Choice(SystemOptionTables.MoeParallelism);
    public Option<string?> CoProcessing { get; } = ProgramArgs.Choice(SystemOptionTables.CoProcessing);
    public Option<string?> Placement { get; } = ProgramArgs.Choice(SystemOptionTables.Placement);
    public Option<string?> WeightType { get; } = CommonOptions.DataType("--weight-type", "Weight");
    public Option<string?> ActivationType { get; } = CommonOptions.DataType("--activation-type", "Activation");
    public Option<string?> KvType { get; } = CommonOptions.DataType("--kv-type", "KV-cache");
    public Option<int?> GroupSize { get; } = new("--group-size") { Description = "Quantised weights: weights per scale/zero-point group along K, must divide every K (default 128 for int4/int8, per channel for fp8; 0 = per channel)" };

    public void AddTo(Command cmd)
    {
        if (readsPrograms) cmd.Options.Add(ProgramFile);
        foreach (var o in new Option[] { Model, Hardware, Devices, MoeParallelism, CoProcessing, Placement, WeightType, ActivationType, KvType, GroupSize })
            cmd.Options.Add(o);
    }

    public ModelConfig ResolveModel(ParseResult p) => WeightQuantisation.WithGroupSize(
        ModelLoader.WithTypes(ModelLoader.Resolve(p.GetValue(Model) ?? throw new InputException("give --model (or --program)")),
            p.GetValue(WeightType), p.GetValue(ActivationType), p.GetValue(KvType)),
        p.GetValue(GroupSize));

    public Hardware ResolveHardware(ParseResult p) => HardwareFile.Resolve(p.GetValue(Hardware)!);

    public SystemOptions ResolveSystem(ParseResult p) => new(
        p.GetValue(Devices),
        SystemOptionTables.MoeParallelism.Parse(p.GetValue(MoeParallelism), SystemOptionTables.MoeParallelism.Flag),
        SystemOptionTables.CoProcessing.Parse(p.GetValue(CoProcessing), SystemOptionTables.CoProcessing.Flag),
        SystemOptionTables.Placement.Parse(p.GetValue(Placement), SystemOptionTables.Placement.Flag));

    /// <summary>
    /// The Program this verb works on: read from <c>--program</c> (checked against every flag given with it, nothing
    /// recompiled), or compiled in memory exactly as <c>codesign compile</c> would.
    /// </summary>
    public Schema.V1.Program Program(ParseResult p)
    {
        if (!readsPrograms || p.GetValue(ProgramFile) is not { } path) return Compile(p);
        var program = Schema.Programs.ProgramFile.Read(path);
        bool Given(Option o) => p.GetResult(o) is { Implicit: false };
        if (Given(Model) || Given(WeightType) || Given(ActivationType) || Given(KvType))
        {
            var m = p.GetValue(Model) is { } name ? ModelLoader.Resolve(name) : program.Model;
            ProgramArgs.CheckModel(program, ModelLoader.WithTypes(m, p.GetValue(WeightType), p.GetValue(ActivationType), p.GetValue(KvType)), path, "--model");
        }
        if (Given(Hardware)) ProgramArgs.CheckHardware(program, ResolveHardware(p), path);
        if (Given(Devices) && program.System.Devices != p.GetValue(Devices))
            throw new InputException($"program {path} was compiled for {program.System.Devices} devices, not the {p.GetValue(Devices)} --devices gives");
        ProgramArgs.CheckSystem(program, path, Given(MoeParallelism) ? p.GetValue(MoeParallelism) : null,
            Given(CoProcessing) ? p.GetValue(CoProcessing) : null, Given(Placement) ? p.GetValue(Placement) : null);
        return program;
    }

    /// <summary>Compiles the Program the flags describe, in memory.</summary>
    public Schema.V1.Program Compile(ParseResult p) => ProgramCompiler.Compile(ResolveModel(p), ResolveHardware(p), ResolveSystem(p));
}
