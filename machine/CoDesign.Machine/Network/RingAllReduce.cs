using CoDesign.Schema.V1;

namespace CoDesign.Machine.Network;

/// <summary>
/// Ring all-reduce over P devices: a reduce-scatter and an all-gather of P - 1 steps each, every step moving one
/// 1/P chunk of the payload to the next device (the bandwidth-optimal schedule NCCL's ring algorithm uses).
/// A step waits for its slowest hop, so a ring that leaves the node runs every step at the inter-node link.
/// </summary>
public static class RingAllReduce
{
    public static int Steps(int devices) => devices <= 1 ? 0 : 2 * (devices - 1);

    /// <summary>2(P - 1) x (latency + (payload / P) / bandwidth).</summary>
    public static double Seconds(double payloadBytes, int devices, Link link)
    {
        if (devices <= 1 || payloadBytes <= 0) return 0;
        return Steps(devices) * (link.LatencyS + payloadBytes / devices / link.BandwidthBytesPerS);
    }

    /// <summary>Bytes each device sends: 2(P - 1)/P of the payload.</summary>
    public static double BytesSentPerDevice(double payloadBytes, int devices) =>
        devices <= 1 ? 0 : 2.0 * (devices - 1) / devices * payloadBytes;

    /// <summary>The payload whose ring sends <paramref name="bytesSent"/> per device (the Program stores bytes sent).</summary>
    public static double PayloadOf(double bytesSent, int devices) =>
        devices <= 1 ? 0 : bytesSent * devices / (2.0 * (devices - 1));
}
