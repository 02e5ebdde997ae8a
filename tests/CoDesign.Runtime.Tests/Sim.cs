using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Runtime.Serving;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tests;

/// <summary>Compiles and simulates in-process for tests.</summary>
static class Sim
{
    public static Program Compile(string model, string hardware, int devices, CoProcessing co = CoProcessing.Unspecified,
        MoeParallelism moe = MoeParallelism.Ep, PlacementPolicy placement = PlacementPolicy.MinTime) =>
        ProgramCompiler.Compile(ModelLoader.WithTypes(ModelLoader.Resolve(model), null, null, null), HardwareFile.Resolve(hardware),
            new SystemOptions(devices, moe, co, placement));

    public static (SimulationResult Result, List<StageRecord> Stages) Run(Program p, WorkloadOptions o)
    {
        var stages = new List<StageRecord>();
        var r = ServingSimulator.Run(p, o, stages.Add);
        return (r, stages);
    }
}
