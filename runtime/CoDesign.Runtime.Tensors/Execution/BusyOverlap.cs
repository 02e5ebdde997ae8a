namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>How long two processors were busy at the same time, from the intervals of their calls.</summary>
public static class BusyOverlap
{
    /// <summary>Length (in the intervals' unit) of the time both sets cover: the intersection of their unions.</summary>
    public static long Of(List<(long Start, long End)> a, List<(long Start, long End)> b)
    {
        var ua = Union(a);
        var ub = Union(b);
        long total = 0;
        int i = 0, j = 0;
        while (i < ua.Count && j < ub.Count)
        {
            long lo = Math.Max(ua[i].Start, ub[j].Start), hi = Math.Min(ua[i].End, ub[j].End);
            if (hi > lo) total += hi - lo;
            if (ua[i].End < ub[j].End) i++; else j++;
        }
        return total;
    }

    static List<(long Start, long End)> Union(List<(long Start, long End)> x)
    {
        var sorted = x.OrderBy(v => v.Start).ToList();
        var u = new List<(long Start, long End)>();
        foreach (var v in sorted)
            if (u.Count > 0 && v.Start <= u[^1].End) u[^1] = (u[^1].Start, Math.Max(u[^1].End, v.End));
            else u.Add(v);
        return u;
    }
}
