using System.CommandLine;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Cli;

/// <summary>
/// The options that say what to compile — model, data types, hardware, devices, parallelism, co-processing,
/// placement — shared by every verb that compiles a Program, so they are spelled and checked the same way.
/// </summary>
public sealed class SystemArgs
{
    public Option<string> Model { get; } = CommonOptions.Model();
    public Option<string> Hardware { get; } = CommonOptions.Hardware();
    public Option<int> Devices { get; } = new("--devices", "-d") { Description = "Number of devices (nodes of at most 8; more devices means more nodes)", DefaultValueFactory = _ => 1 };
    public Option<string> MoeParallelism { get; } = new("--moe-parallelism") { Description = "MoE parallelism: ep (one expert per device) or tp (tensor-parallel in a node, +ET)", DefaultValueFactory = _ => "ep" };
    public Option<string?> CoProcessing { get; } = new("--co-processing") { Description = "none|experts|attention|both (default: both on PIM hardware, none otherwise)" };
    public Option<string> Placement { get; } = new("--placement") { Description = "min-time: each operator on its fastest processor (crossover rule); paper: the Duplex §3 static rule", DefaultValueFactory = _ => "min-time" };
    public Option<string?> WeightType { get; } = CommonOptions.DataType("--weight-type", "Weight");
    public Option<string?> ActivationType { get; } = CommonOptions.DataType("--activation-type", "Activation");
    public Option<string?> KvType { get; } = CommonOptions.DataType("--kv-type", "KV-cache");

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Model, Hardware, Devices, MoeParallelism, CoProcessing, Placement, WeightType, ActivationType, KvType })
            cmd.Options.Add(o);
    }

    public ModelConfig ResolveModel(ParseResult p) =>
        ModelLoader.WithTypes(ModelLoader.Resolve(p.GetValue(Model)!), p.GetValue(WeightType), p.GetValue(ActivationType), p.GetValue(KvType));

    public Hardware ResolveHardware(ParseResult p) => HardwareFile.Resolve(p.GetValue(Hardware)!);

    public SystemOptions ResolveSystem(ParseResult p) => new(
        p.GetValue(Devices),
        p.GetValue(MoeParallelism)!.ToLowerInvariant() switch
        {
            "ep" => Schema.V1.MoeParallelism.Ep,
            "tp" or "et" => Schema.V1.MoeParallelism.Tp,
            var v => throw new InputException($"--moe-parallelism: '{v}' is not one of ep, tp"),
        },
        p.GetValue(CoProcessing)?.ToLowerInvariant() switch
        {
            null => Schema.V1.CoProcessing.Unspecified,
            "none" => Schema.V1.CoProcessing.None,
            "experts" => Schema.V1.CoProcessing.Experts,
            "attention" => Schema.V1.CoProcessing.Attention,
            "both" => Schema.V1.CoProcessing.Both,
            var v => throw new InputException($"--co-processing: '{v}' is not one of none, experts, attention, both"),
        },
        PlacementPolicies.Parse(p.GetValue(Placement)!));

    public Schema.V1.Program Compile(ParseResult p) =>
        ProgramCompiler.Compile(ResolveModel(p), ResolveHardware(p), ResolveSystem(p));
}
