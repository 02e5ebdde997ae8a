using CoDesign.Runtime.Serving;

namespace CoDesign.Sweeps.Run;

/// <summary>The serving simulator: what every sweep runs unless a test substitutes another runner.</summary>
public sealed class ServingPointRunner : IPointRunner
{
    public static readonly ServingPointRunner Instance = new();

    public SimulationResult Run(Schema.V1.Program program, WorkloadOptions workload) => ServingSimulator.Run(program, workload);
}
