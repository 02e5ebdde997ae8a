using CoDesign.Schema.V1;

namespace CoDesign.Machine.Network;

/// <summary>A collective's seconds and link energy, split into its intra-node and inter-node parts.</summary>
public readonly record struct CollectiveCost(double Seconds, double IntraS, double InterS, double Joules)
{
    public static readonly CollectiveCost None = default;
}

/// <summary>
/// Costs the Program's collectives on the system's interconnect: ring all-reduce (<see cref="RingAllReduce"/>) and
/// all-to-all split by link (<see cref="AllToAll"/>). Link energy is bytes sent x 8 x the link's J/bit.
/// </summary>
public sealed class Collectives(Interconnect? interconnect)
{
    readonly Link? _intra = interconnect?.IntraNode, _inter = interconnect?.InterNode;

    public static bool Is(OpTemplate op) => op.Kind is OpKind.AllReduce or OpKind.AllToAll;

    /// <param name="bytesSent">Bytes each device sends (the Program's comm_bytes evaluated at the stage).</param>
    public CollectiveCost Cost(OpTemplate op, double bytesSent)
    {
        int group = (int)op.CommGroup;
        if (bytesSent <= 0 || group <= 1) return CollectiveCost.None;
        if (op.Kind == OpKind.AllToAll)
        {
            var a = AllToAll.Cost(bytesSent, group, PerNode(op), _intra, _inter);
            double j = a.IntraBytes * 8 * (_intra?.EnergyJPerBit ?? 0) + a.InterBytes * 8 * (_inter?.EnergyJPerBit ?? 0);
            return new CollectiveCost(a.Seconds, a.IntraS, a.InterS, j);
        }
        bool inter = op.CommScope == LinkScope.InterNode;
        var link = inter ? _inter : _intra;
        if (link is null) return CollectiveCost.None;
        double s = RingAllReduce.Seconds(RingAllReduce.PayloadOf(bytesSent, group), group, link);
        return new CollectiveCost(s, inter ? 0 : s, inter ? s : 0, bytesSent * 8 * link.EnergyJPerBit);
    }

    /// <summary>Group members sharing a node; Programs written before the field existed: the whole group (intra) or one (inter).</summary>
    static int PerNode(OpTemplate op) => op.CommGroupPerNode > 0 ? (int)op.CommGroupPerNode
        : op.CommScope == LinkScope.InterNode ? 1 : (int)op.CommGroup;
}
