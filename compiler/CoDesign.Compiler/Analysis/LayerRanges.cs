namespace CoDesign.Compiler.Analysis;

/// <summary>Compact layer lists for people: "0-31", "1-31/2" (every second), or "0,5,9".</summary>
public static class LayerRanges
{
    public static string Describe(IReadOnlyList<uint> layers)
    {
        if (layers.Count == 0) return "";
        if (layers.Count == 1) return layers[0].ToString();
        long step = (long)layers[1] - layers[0];
        bool arithmetic = step > 0 && Enumerable.Range(1, layers.Count - 1).All(i => (long)layers[i] - layers[i - 1] == step);
        if (arithmetic) return step == 1 ? $"{layers[0]}-{layers[^1]}" : $"{layers[0]}-{layers[^1]}/{step}";
        return string.Join(",", layers);
    }
}
