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
    /// <summary>KV tokens reserved at admission: the whole sequence, so the cache can never overflow.</summary>
    public int ReservedKvTokens => InputLen + OutputLen;
}
