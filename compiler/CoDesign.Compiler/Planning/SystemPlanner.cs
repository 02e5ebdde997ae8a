using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Planning;

/// <summary>
/// Parallelism as in the Duplex evaluation (docs/reference/duplex-spec.md §5, DeepSpeed-MoE style): non-MoE layers
/// tensor-parallel within a node and data-parallel across nodes; MoE expert-parallel (one expert per device,
/// experts tensor-parallel when devices exceed experts) or, for +ET, tensor-parallel within a node and
/// expert-parallel across nodes.
/// </summary>
public static class SystemPlanner
{
    public static SystemConfig Plan(ModelConfig model, Hardware hw, SystemOptions o)
    {
        if (o.Devices < 1) throw new InputException($"{Setting.Ref("devices")} must be at least 1, got {o.Devices}");
        uint perNodeMax = hw.Interconnect?.MaxDevicesPerNode is > 0 and var m ? m : 8;
        uint devices = (uint)o.Devices;
        uint nodes = (devices + perNodeMax - 1) / perNodeMax;
        if (devices % nodes != 0)
            throw new InputException($"{Setting.Ref("devices")} {devices} cannot be split into {nodes} equal nodes of at most {perNodeMax} devices");
        if (nodes > 1 && hw.Interconnect?.InterNode is null)
            throw new InputException($"{devices} devices need {nodes} nodes but hardware '{hw.Name}' has no interNode link");
        if (devices > 1 && hw.Interconnect?.IntraNode is null)
            throw new InputException($"{devices} devices need an intraNode link but hardware '{hw.Name}' has none");
        uint perNode = devices / nodes;
        bool hasPim = hw.Processors.Any(p => p.Kind is ProcessorKind.LogicPim or ProcessorKind.BankPim or ProcessorKind.BankgroupPim);
        var co = o.CoProcessing == CoProcessing.Unspecified ? (hasPim ? CoProcessing.Both : CoProcessing.None) : o.CoProcessing;
        if (!hasPim && co != CoProcessing.None)
            throw new InputException($"{Setting.Ref("co_processing")} {co.ToString().ToLowerInvariant()} needs a PIM processor, and hardware '{hw.Name}' has none");

        var s = new SystemConfig
        {
            Devices = devices,
            Nodes = nodes,
            DevicesPerNode = perNode,
            TensorParallel = perNode,
            DataParallel = nodes,
            MoeParallelism = o.MoeParallelism == MoeParallelism.Unspecified ? MoeParallelism.Ep : o.MoeParallelism,
            CoProcessing = co,
            Placement = o.Placement == PlacementPolicy.Unspecified ? PlacementPolicy.MinTime : o.Placement,
        };
        uint e = model.NumExperts;
        if (e > 0)
        {
            if (s.MoeParallelism == MoeParallelism.Ep)
            {
                s.ExpertParallel = Math.Min(devices, e);
                s.ExpertTensorParallel = devices > e ? devices / e : 1;
                if (devices > e && devices % e != 0)
                    throw new InputException($"expert parallelism: {devices} devices are not a multiple of the {e} experts");
            }
            else
            {
                s.ExpertParallel = Math.Min(nodes, e);
                s.ExpertTensorParallel = perNode;
            }
        }
        return s;
    }
}
