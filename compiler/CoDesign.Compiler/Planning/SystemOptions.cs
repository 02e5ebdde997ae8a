using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Planning;

/// <summary>What the user asks of the system; <see cref="SystemPlanner"/> turns it into a <see cref="SystemConfig"/>.</summary>
public sealed record SystemOptions(
    int Devices = 1,
    MoeParallelism MoeParallelism = MoeParallelism.Ep,
    CoProcessing CoProcessing = CoProcessing.Unspecified,   // unspecified: both on PIM hardware, none otherwise
    PlacementPolicy Placement = PlacementPolicy.MinTime);
