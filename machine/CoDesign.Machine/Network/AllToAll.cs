using CoDesign.Schema.V1;

namespace CoDesign.Machine.Network;

/// <summary>One all-to-all split by link: the bytes and seconds of its intra-node (NVLink) and inter-node (InfiniBand) parts.</summary>
public readonly record struct AllToAllCost(double IntraBytes, double InterBytes, double IntraS, double InterS)
{
    /// <summary>The two parts run at once: NVLink and the node's network interfaces are separate hardware.</summary>
    public double Seconds => Math.Max(IntraS, InterS);
}

/// <summary>
/// All-to-all over G devices, D of them per node: under uniform routing each device sends the same share to every
/// peer, so (D - 1)/(G - 1) of its bytes stay in the node and (G - D)/(G - 1) leave it. Each part pays its link's
/// bandwidth and one latency per peer it sends to (NCCL runs all-to-all as one send/receive pair per peer).
/// </summary>
public static class AllToAll
{
    public static AllToAllCost Cost(double bytesSentPerDevice, int devices, int devicesPerNode, Link? intra, Link? inter)
    {
        if (devices <= 1 || bytesSentPerDevice <= 0) return default;
        int perNode = Math.Clamp(devicesPerNode, 1, devices);
        int intraPeers = perNode - 1, interPeers = devices - perNode;
        double intraBytes = bytesSentPerDevice * intraPeers / (devices - 1);
        double interBytes = bytesSentPerDevice - intraBytes;
        return new AllToAllCost(intraBytes, interBytes, Part(intraBytes, intraPeers, intra), Part(interBytes, interPeers, inter));
    }

    static double Part(double bytes, int peers, Link? link) =>
        peers <= 0 || bytes <= 0 || link is null ? 0 : bytes / link.BandwidthBytesPerS + peers * link.LatencyS;
}
