using CoDesign.Runtime.Serving.Validation;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Serving.Techniques;

/// <summary>
/// Draft-then-verify speculative decoding: a draft model proposes <see cref="K"/> tokens per decoding request,
/// the target verifies K + 1 query tokens in one step and keeps the accepted prefix plus one token of its own.
/// </summary>
public sealed record SpeculationOptions
{
    /// <summary>Draft tokens per step (fixed), or the largest k the adaptive choice considers.</summary>
    public int K { get; init; }
    /// <summary>Choose k in 0..K per stage to maximise expected goodput (SmartSpec, Liu et al. 2024).</summary>
    public bool Adaptive { get; init; }
    /// <summary>Probability that each draft token is accepted, given the ones before it were.</summary>
    public double AcceptRate { get; init; } = 0.7;
    /// <summary>Acceptance per draft position 1, 2, …; positions past the end use the last entry. Null: <see cref="AcceptRate"/>.</summary>
    public IReadOnlyList<double>? AcceptProfile { get; init; }
    /// <summary>The draft model compiled for the device it runs on; its steps run before each verify step.</summary>
    public required Program Draft { get; init; }
    /// <summary>True when the draft has its own device: its weights and KV cache then take no target memory.</summary>
    public bool DraftOnOwnDevice { get; init; }

    public double Accept(int position) => AcceptProfile is { Count: > 0 } p ? p[Math.Min(position, p.Count) - 1] : AcceptRate;

    /// <summary>Expected tokens a request gains from one verify of k drafts: 1 + Σ_i Π_{j≤i} α_j.</summary>
    public double ExpectedTokens(int k)
    {
        double e = 1, run = 1;
        for (int i = 1; i <= k; i++) { run *= Accept(i); e += run; }
        return e;
    }

    public void Validate()
    {
        TechniqueLimits.SpecK.Check(K, Setting.Ref("spec_k"), "speculation");
        TechniqueLimits.Accept.Check(AcceptRate, Setting.Ref("spec_accept"), "speculation");
        if (AcceptProfile is { } p)
            foreach (var a in p) TechniqueLimits.Accept.Check(a, Setting.Ref("spec_accept"), "speculation");
    }
}
