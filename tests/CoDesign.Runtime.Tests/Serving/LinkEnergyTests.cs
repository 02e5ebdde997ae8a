using CoDesign.Runtime.Serving;

namespace CoDesign.Runtime.Tests.Serving;

/// <summary>Communication energy: the interconnect's energyJPerBit for every byte the collectives move, on every device.</summary>
public class LinkEnergyTests
{
    sealed class EveryStage : ITraceSink
    {
        public readonly List<TraceEvent> Events = [];
        public int StageLimit => int.MaxValue;
        public void Add(in TraceEvent e) => Events.Add(e);
    }

    [Test]
    public void Communication_energy_is_the_link_energy_per_bit_times_the_bytes_the_collectives_move()
    {
        var p = Sim.Compile("mixtral-8x7b", "duplex", 4);
        var o = new WorkloadOptions { Batch = 4, Requests = 4, InputLen = 64, OutputLen = 4 };
        Assert.That(p.System.DataParallel, Is.EqualTo(1));
        // The presets' NVLink figure (two SerDes crossings, HardwarePresets.NvlinkJoulesPerBit) is charged as well.
        Assert.That(p.Hardware.Interconnect.IntraNode.EnergyJPerBit, Is.EqualTo(Schema.Hardware.HardwarePresets.NvlinkJoulesPerBit));
        Assert.That(ServingSimulator.Run(p, o).EnergyBreakdownJPerToken.Communication, Is.GreaterThan(0));

        const double joulesPerBit = 5e-12;   // a test value, not a published one
        var edited = p.Clone();
        edited.Hardware.Interconnect.IntraNode.EnergyJPerBit = joulesPerBit;
        edited.Hardware.Interconnect.InterNode.EnergyJPerBit = joulesPerBit;
        var sink = new EveryStage();
        var r = ServingSimulator.Run(edited, o, null, sink);
        // The trace's collective slices carry the bytes each device sends per layer; every device sends them.
        double bytes = sink.Events.Where(e => e.Category == "communication").Sum(e => e.Args!.Value.Bytes);
        Assert.That(bytes, Is.GreaterThan(0));
        Assert.That(r.EnergyBreakdownJPerToken.Communication * r.OutputTokens, Is.EqualTo(bytes * 8 * joulesPerBit * 4).Within(1e-9).Percent);
    }
}
