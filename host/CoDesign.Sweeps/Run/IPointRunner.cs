using CoDesign.Runtime.Serving;

namespace CoDesign.Sweeps.Run;

/// <summary>Simulates one compiled point. Must be pure and thread-safe: the sweep calls it from many threads.</summary>
public interface IPointRunner
{
    SimulationResult Run(Schema.V1.Program program, WorkloadOptions workload);
}
