namespace CoDesign.Machine.Stages;

/// <summary>Where an operator runs and why, in words a person can check.</summary>
public readonly record struct Placement(ProcessorCost? Processor, string Reason)
{
    /// <summary>"link" for collectives, otherwise the processor name.</summary>
    public string Where => Processor?.Name ?? "link";
}
