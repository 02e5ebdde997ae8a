using CoDesign.Machine.Network;
using CoDesign.Machine.Stages;
using CoDesign.Schema.V1;

namespace CoDesign.Machine.Tests.Network;

/// <summary>The collective model against hand-computed cases (docs/collectives-and-workload.md).</summary>
public class CollectiveTests
{
    static readonly Link Nvlink = new() { BandwidthBytesPerS = 450e9, LatencyS = 0.8e-6, EnergyJPerBit = 11e-12 };
    static readonly Link Infiniband = new() { BandwidthBytesPerS = 50e9, LatencyS = 130e-9, EnergyJPerBit = 45e-12 };

    [Test]
    public void Ring_all_reduce_is_2_P_minus_1_steps_of_latency_plus_a_chunk()
    {
        // 1 MiB over 4 devices: 6 x (0.8 us + 262,144 B / 450 GB/s) = 4.8 us + 3.4952533 us.
        Assert.That(RingAllReduce.Steps(4), Is.EqualTo(6));
        Assert.That(RingAllReduce.Seconds(1 << 20, 4, Nvlink), Is.EqualTo(8.2952533333e-6).Within(1e-8).Percent);
        Assert.That(RingAllReduce.BytesSentPerDevice(1 << 20, 4), Is.EqualTo(1.5 * (1 << 20)));
        Assert.That(RingAllReduce.Seconds(1 << 20, 1, Nvlink), Is.Zero, "one device has nothing to reduce");
    }

    [Test]
    public void Ring_all_reduce_through_the_program_costs_the_same_from_bytes_sent()
    {
        var net = new Collectives(new Interconnect { IntraNode = Nvlink, InterNode = Infiniband });
        var op = new OpTemplate { Kind = OpKind.AllReduce, CommGroup = 4, CommScope = LinkScope.IntraNode };
        var c = net.Cost(op, RingAllReduce.BytesSentPerDevice(1 << 20, 4));
        Assert.That(c.Seconds, Is.EqualTo(8.2952533333e-6).Within(1e-8).Percent);
        Assert.That((c.IntraS, c.InterS), Is.EqualTo((c.Seconds, 0.0)));
        Assert.That(c.Joules, Is.EqualTo(1.5 * (1 << 20) * 8 * 11e-12).Within(1e-9).Percent);
    }

    [Test]
    public void All_to_all_splits_its_bytes_between_nvlink_and_infiniband_and_runs_both_at_once()
    {
        // 16 devices, 8 per node, 15 MB sent: 7 of 15 peers share the node.
        var a = AllToAll.Cost(15e6, 16, 8, Nvlink, Infiniband);
        Assert.That(a.IntraBytes, Is.EqualTo(7e6).Within(1e-9).Percent);
        Assert.That(a.InterBytes, Is.EqualTo(8e6).Within(1e-9).Percent);
        Assert.That(a.IntraS, Is.EqualTo(7e6 / 450e9 + 7 * 0.8e-6).Within(1e-9).Percent);
        Assert.That(a.InterS, Is.EqualTo(8e6 / 50e9 + 8 * 130e-9).Within(1e-9).Percent);
        Assert.That(a.Seconds, Is.EqualTo(a.InterS));
        // All on the slower link (the old model) would take almost twice as long.
        Assert.That(a.Seconds, Is.LessThan(15e6 / 50e9));
        var inNode = AllToAll.Cost(15e6, 8, 8, Nvlink, Infiniband);
        Assert.That((inNode.InterBytes, inNode.InterS), Is.EqualTo((0.0, 0.0)));
        Assert.That(inNode.Seconds, Is.EqualTo(15e6 / 450e9 + 7 * 0.8e-6).Within(1e-9).Percent);
    }

    [Test]
    public void All_to_all_link_energy_charges_each_part_at_its_link()
    {
        var net = new Collectives(new Interconnect { IntraNode = Nvlink, InterNode = Infiniband });
        var op = new OpTemplate { Kind = OpKind.AllToAll, CommGroup = 16, CommGroupPerNode = 8, CommScope = LinkScope.InterNode };
        var c = net.Cost(op, 15e6);
        Assert.That(c.Joules, Is.EqualTo(7e6 * 8 * 11e-12 + 8e6 * 8 * 45e-12).Within(1e-9).Percent);
        // A Program written before comm_group_per_node: an inter-node all-to-all is all InfiniBand, as it was costed.
        var old = net.Cost(new OpTemplate { Kind = OpKind.AllToAll, CommGroup = 2, CommScope = LinkScope.InterNode }, 1e6);
        Assert.That((old.IntraS, old.InterS), Is.EqualTo((0.0, 1e6 / 50e9 + 130e-9)));
    }

    [Test]
    public void Partial_sum_reduction_reads_every_stacks_partial_and_writes_one_sum()
    {
        var op = new OpTemplate { Kind = OpKind.PartialSumReduction, ExpertFlopsPerToken = 4096, ExpertActivationBytesPerToken = 8192 };
        var c = PartialSumReduction.Counts(op, 10, 5);
        Assert.That(c.Flops, Is.EqualTo(4096.0 * 4 * 10));
        Assert.That(c.ActivationBytes, Is.EqualTo(8192.0 * 6 * 10));
        Assert.That(PartialSumReduction.Counts(op, 10, 1), Is.EqualTo(default(OpCounts)), "one stack leaves nothing to add");
        Assert.That(PartialSumReduction.Counts(op, 0, 5), Is.EqualTo(default(OpCounts)));
    }
}
