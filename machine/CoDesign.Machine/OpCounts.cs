namespace CoDesign.Machine;

/// <summary>What an operator does, by category: the only thing a processor model needs to cost it.</summary>
public readonly record struct OpCounts(double Flops, double WeightBytes, double ActivationBytes, double KvBytes)
{
    public double Bytes => WeightBytes + ActivationBytes + KvBytes;

    /// <summary>Arithmetic intensity, FLOPs per byte of DRAM traffic.</summary>
    public double OpPerByte => Bytes > 0 ? Flops / Bytes : double.PositiveInfinity;

    public static OpCounts operator +(OpCounts a, OpCounts b) =>
        new(a.Flops + b.Flops, a.WeightBytes + b.WeightBytes, a.ActivationBytes + b.ActivationBytes, a.KvBytes + b.KvBytes);

    public OpCounts Scale(double k) => new(Flops * k, WeightBytes * k, ActivationBytes * k, KvBytes * k);
}
