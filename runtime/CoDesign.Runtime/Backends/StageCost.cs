namespace CoDesign.Runtime.Backends;

/// <summary>What one stage cost the whole system. Reused across stages (no allocation per stage).</summary>
public sealed class StageCost
{
    public const int Host = 0, Pim = 1, Link = 2;
    public double TimeS;
    /// <summary>Busy seconds of device 0's processors (host, PIM) and its links.</summary>
    public readonly double[] BusyS = new double[3];
    /// <summary>System energy in joules: fc, attention, moe × (dram, compute), then communication.</summary>
    public readonly double[] EnergyJ = new double[7];
    /// <summary>Busy seconds of device 0 by operator group (<see cref="Machine.Stages.OpGroups"/>), every processor and link together.</summary>
    public readonly double[] GroupS = new double[Machine.Stages.OpGroups.Names.Length];

    public double TotalEnergyJ => EnergyJ.Sum();

    public void Clear()
    {
        TimeS = 0;
        Array.Clear(BusyS);
        Array.Clear(EnergyJ);
        Array.Clear(GroupS);
    }
}
