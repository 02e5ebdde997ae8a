using CoDesign.Compiler.Graph;
using CoDesign.Compiler.Planning;
using CoDesign.Compiler.Planning.Validation;
using CoDesign.Machine.Stages;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.Programs;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Emit;

/// <summary>
/// The compiler pipeline, top to bottom: plan the system, build each layer shape's operators, plan memory
/// (fails if the model does not fit), place expert weights in bank-bundle spaces, lower the PIM-placeable operators to Logic-PIM kernels, build the expert table, seal (format version and content hash).
/// </summary>
public static class ProgramCompiler
{
    public static string Version => typeof(ProgramCompiler).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static Program Compile(ModelConfig model, Hardware hw, SystemOptions options)
    {
        HardwareValidator.Validate(hw, hw.Name);
        SystemLimits.Check(options);
        model = Models.ModelLoader.WithTypes(model, null, null, null);   // unset data types default to fp16
        Schema.Quantization.WeightFormat.Of(model).CheckDivides(model);
        var system = SystemPlanner.Plan(model, hw, options);
        var graph = new LayerGraphBuilder(model, system);
        var p = new Program
        {
            CodesignVersion = Version,
            Model = model,
            Hardware = hw,
            System = system,
            LocalExperts = graph.LocalExperts,
        };
        p.LayerKinds.AddRange(graph.LayerKinds());
        p.HeadOps.AddRange(graph.HeadOps());
        MemoryPlanner.Plan(p);

        // Device memory is split into spaces by bank-bundle index; expert weights go round-robin over them
        // (docs/reference/duplex-spec.md §3). Experts in one space must run on the same processor.
        p.BankBundleSpaces = hw.Memory.BankBundlesPerPseudoChannel > 0 ? hw.Memory.BankBundlesPerPseudoChannel : 1;
        for (uint e = 0; e < p.LocalExperts; e++) p.ExpertSpace.Add(e % p.BankBundleSpaces);

        if (LowerToPim.Lower(p) is { } kernels) p.PimKernels = kernels;
        if (ExpertTableBuilder.Build(p, new ProgramCost(p)) is { } table) p.ExpertTable = table;
        return ProgramFile.Seal(p);
    }
}
