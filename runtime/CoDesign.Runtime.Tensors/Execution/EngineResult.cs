using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>One request's output. Margins[i] = top-1 minus top-2 logit at step i; MaxAbsLogits[i] = the logits' scale there.</summary>
public sealed record RequestResult(int Id, int PromptTokens, int[] Generated, double[] Margins, double[] MaxAbsLogits, int AdmittedAtStage, int FinishedAtStage);

/// <summary>
/// One engine iteration. Kind is named by <see cref="CoDesign.Machine.Stages.StageKinds"/>, as in simulate and analyze. Placement says where
/// operators ran: expert runs per side, decode-attention runs on the PIM side, and the names of every operator
/// that ran on the PIM side in this stage (named by <see cref="CoDesign.Schema.Ops.OpNames"/>, plus "experts"); the rest ran on
/// the xPU side. XpuSeconds and PimSeconds are each side's busy time; OverlapSeconds the time both were busy at
/// once (measured from the calls' intervals: co-processing at work).
/// </summary>
public sealed record StageRecord(int Index, string Kind, int Requests, int PrefillTokens, int DecodeTokens,
    double WallSeconds, double XpuSeconds, double PimSeconds, int ExpertRunsOnXpu, int ExpertRunsOnPim,
    int DecodeAttentionOnPim, IReadOnlyList<string> OnPim, long KvBytesInUse, double OverlapSeconds);

public sealed record OpTime(string Side, OpKind Op, long Calls, double Seconds);

public sealed record EngineResult(IReadOnlyList<RequestResult> Requests, IReadOnlyList<StageRecord> Stages,
    IReadOnlyList<OpTime> OpTimes, IReadOnlyList<KvCachePool.Event> KvEvents, long PeakKvBytes, long KvBytesAtEnd, double WallSeconds)
{
    /// <summary>Prompt tokens whose K and V were copied from a shared prefix instead of prefilled (<see cref="EngineOptions.PrefixReuse"/>).</summary>
    public long PrefixTokensReused { get; init; }
}
