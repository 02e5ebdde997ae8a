namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// A generation request: prompt token ids, how many tokens to generate greedily, and the engine stage at which it
/// arrives (0: waiting from the start). A request joins the batch at the first stage at or after its arrival with
/// a free slot, so requests arriving while others decode make stages that mix prefill and decode.
/// </summary>
public sealed record Request(int Id, int[] Prompt, int MaxNewTokens, int ArrivalStage = 0);
