using CoDesign.Compiler.Analysis;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Machine.Stages;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Tests.Analysis;

/// <summary>Compiles a preset model for a system and analyses one stage; picks rows by operator name.</summary>
static class Stages
{
    public static Program Compile(string model, int devices, Schema.V1.Hardware? hw = null, PlacementPolicy placement = PlacementPolicy.MinTime) =>
        ProgramCompiler.Compile(ModelLoader.Resolve(model), hw ?? HardwarePresets.Duplex(), new SystemOptions(devices, Placement: placement));

    /// <summary>
    /// The hardware with no DRAM timing model (every processor at its peak): the tests that pin the roofline and the
    /// Op/B crossover rule use it; the derated physics has its own tests (HbmTimingModelTests).
    /// </summary>
    public static Schema.V1.Hardware Ideal(Schema.V1.Hardware hw)
    {
        hw.IdealEfficiency = true;
        return hw;
    }

    public static StageAnalysis Decode(Program p, int requests, int context, IReadOnlyList<double>? expertTokens = null) =>
        StageAnalyzer.Analyze(p, StageShape.Of(requests, context), expertTokens);

    /// <summary>The row of <paramref name="op"/> in the first layer shape that has it (MoE shape for experts).</summary>
    public static OpAnalysis Row(StageAnalysis a, string op) =>
        a.Ops.FirstOrDefault(o => o.Op == op) ?? throw new AssertionException($"no row '{op}' in {string.Join(", ", a.Ops.Select(o => o.Op))}");

    public static OpAnalysis? TryRow(StageAnalysis a, string op) => a.Ops.FirstOrDefault(o => o.Op == op);
}
