namespace CoDesign.Runtime.Serving;

/// <summary>One request's life through the scheduler. Mutable: the simulator advances it stage by stage.</summary>
public sealed class Request(int id, double arrivalS, int inputLen, int outputLen)
{
    public int Id { get; } = id;
    public double ArrivalS { get; set; } = arrivalS;
    public int InputLen { get; } = inputLen;
    public int OutputLen { get; } = outputLen;
    public int Prefilled { get; set; }
    public int Generated { get; set; }
    public double FirstTokenS { get; set; } = double.NaN;
    public double LastTokenS { get; set; }
    public double DoneS { get; set; } = double.NaN;
    /// <summary>This stage's prefill chunk (0 when it decodes or waits).</summary>
    public int Chunk { get; set; }

    public bool PrefillDone => Prefilled >= InputLen;
    public int RemainingPrompt => InputLen - Prefilled;
    /// <summary>KV tokens reserved at admission: the whole sequence, so the cache can never overflow (fewer for a
    /// sliding-window model: the simulator sets it from <c>ProgramMemory.KvTokensHeld</c>).</summary>
    public int ReservedKvTokens { get; set; } = inputLen + outputLen;
}
