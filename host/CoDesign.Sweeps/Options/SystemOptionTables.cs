// SPDX-License-Identifier: MIT
// The system options' tables: co-processing, MoE parallelism, scheduler, placement.
using CoDesign.Runtime.Serving;
using CoDesign.Schema.V1;

namespace CoDesign.Sweeps.Options;

/// <summary>
/// Every system option a verb or a sweep point can set, as one table each (names, default, help). The compiler
/// and the runtime take the enum values; only the host knows the names.
/// </summary>
public static class SystemOptionTables
{
    public static readonly OptionTable<CoProcessing> CoProcessing = new("--co-processing", "co_processing",
        "Co-processing (docs/reference/duplex-spec.md §3)", "auto",
        new("none", Schema.V1.CoProcessing.None, "the placement alone, one processor at a time"),
        new("experts", Schema.V1.CoProcessing.Experts, "after gating, experts split between xPU and PIM and run concurrently"),
        new("attention", Schema.V1.CoProcessing.Attention, "prefill attention on the xPU concurrent with decode attention on PIM"),
        new("both", Schema.V1.CoProcessing.Both, "experts and attention"),
        new("auto", Schema.V1.CoProcessing.Unspecified, "both on hardware with a PIM processor, none otherwise"));

    public static readonly OptionTable<MoeParallelism> MoeParallelism = new("--moe-parallelism", "moe_parallelism",
        "MoE parallelism (docs/reference/duplex-spec.md §5)", "ep",
        new("ep", Schema.V1.MoeParallelism.Ep, "one expert per device, experts tensor-parallel when devices exceed experts"),
        new("tp", Schema.V1.MoeParallelism.Tp, "tensor-parallel within a node, expert-parallel across nodes (+ET)"));

    public static readonly OptionTable<SchedulerKind> Scheduler = new("--scheduler", "scheduler",
        "Stage scheduler", "mixed",
        new("mixed", SchedulerKind.Mixed, "prefill batched with decode"),
        new("prefill-first", SchedulerKind.PrefillFirst, "prefill-only stages while any running request has prompt left to prefill"),
        new("chunked", SchedulerKind.Chunked, "prompts cut into chunks that share stages with decode (Sarathi)"));

    public static readonly OptionTable<PlacementPolicy> Placement = new("--placement", "placement",
        "Operator placement", "min-time",
        new("min-time", PlacementPolicy.MinTime, "each operator on its fastest processor for the stage's shape (crossover rule)"),
        new("paper", PlacementPolicy.Paper, "the Duplex §3 static rule: PIM runs decode attention and MoE in decode-only stages"));
}
