namespace CoDesign.Sweeps.Reporting;

/// <summary>
/// What the parts of a system's name mean ("Duplex+PE+ET" = Duplex + co-processing + tensor-parallel MoE), so a
/// reader of the report need not know the paper's abbreviations (docs/reference/duplex-spec.md §3-4).
/// </summary>
public static class SystemGlossary
{
    static readonly (string Term, string Meaning)[] Terms =
    [
        ("GPU", "a plain GPU system: every operator on the GPU (the h100 preset unless the sweep says otherwise)"),
        ("H100", "NVIDIA H100 SXM 80 GB, 3.35 TB/s: the Duplex paper's baseline"),
        ("H200", "NVIDIA H200 SXM 141 GB, 4.8 TB/s (data sheet)"),
        ("Duplex", "an H100-class xPU plus Logic-PIM on every HBM stack's logic die (4x bandwidth, Op/B 8); each operator runs on the processor where it is fastest"),
        ("PE", "co-processing (the paper's +PE): experts split between xPU and Logic-PIM and run at once, and in mixed stages prefill attention on the xPU alongside decode attention on PIM"),
        ("ET", "expert tensor parallelism (the paper's +ET): MoE layers tensor-parallel within a node and expert-parallel across nodes, so every device holds a slice of every expert"),
        ("xPU", "the high-Op/B processor of a heterogeneous device (GPU-like)"),
        ("Logic-PIM", "processing units on the HBM logic die, fed by bank bundles"),
        ("Bank-PIM", "processing units beside every DRAM bank (16x bandwidth, Op/B 1)"),
        ("BankGroup-PIM", "Logic-PIM's bandwidth and compute placed beside every bank group, on the DRAM dies"),
        ("EP", "expert parallelism: whole experts spread over devices, tokens sent to them (all-to-all)"),
        ("TP", "tensor parallelism: every matrix split over devices, partial sums all-reduced"),
    ];

    /// <summary>The terms that occur in <paramref name="names"/> (as a word or a '+'-separated part), in table order.</summary>
    public static IReadOnlyList<(string Term, string Meaning)> For(IEnumerable<string> names)
    {
        var parts = names.SelectMany(n => n.Split(['+', ' ', '(', ')', ',', '/', '='], StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.ToLowerInvariant()).ToHashSet();
        return Terms.Where(t => parts.Contains(t.Term.ToLowerInvariant())).ToList();
    }
}
