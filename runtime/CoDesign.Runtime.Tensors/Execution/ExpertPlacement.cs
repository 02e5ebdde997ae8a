namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// Which processor runs each expert of a MoE layer (docs/reference/duplex-spec.md §3).
/// Plain Duplex: all experts on Logic-PIM in decode-only stages, on the xPU in mixed stages.
/// Expert co-processing: start with every expert on the xPU, then move experts with the fewest tokens to
/// Logic-PIM one at a time while max(xPU time, PIM time) falls; both then run concurrently. Experts that share a
/// bank-bundle memory space move together (their weights sit in one space, read by one processor), so the
/// unit moved is a space's set of experts, fewest tokens first.
/// </summary>
public static class ExpertPlacement
{
    public static bool[] PlainDuplex(int experts, bool decodeOnly) => Enumerable.Repeat(decodeOnly, experts).ToArray();

    /// <param name="tokens">tokens routed to each expert in this stage</param>
    /// <param name="plan">expert latencies per processor and the experts' spaces</param>
    public static bool[] CoProcess(int[] tokens, DuplexPlan plan)
    {
        int n = tokens.Length;
        var onPim = new bool[n];
        var space = plan.ExpertSpace.Length == n ? plan.ExpertSpace : Enumerable.Range(0, n).ToArray();
        double Cost(int proc, IEnumerable<int> experts) => experts.Sum(e => tokens[e] == 0 ? 0 : plan.ExpertCost(proc, tokens[e]));
        var groups = Enumerable.Range(0, n).Where(e => tokens[e] > 0).GroupBy(e => space[e])
            .Select(g => g.ToArray()).OrderBy(g => g.Sum(e => tokens[e])).ThenBy(g => g.Min()).ToList();
        double xpu = Cost(0, Enumerable.Range(0, n)), pim = 0;
        foreach (var g in groups)
        {
            double nx = xpu - Cost(0, g), np = pim + Cost(1, g);
            if (Math.Max(nx, np) >= Math.Max(xpu, pim)) break;
            foreach (var e in g) onPim[e] = true;
            xpu = nx; pim = np;
        }
        return onPim;
    }
}
