namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// One request's keys and values, [capacity, kvHeads·headDim] per layer, sized at admission for prompt +
/// new tokens so it never reallocates. <see cref="Length"/> counts positions written (all layers alike).
/// </summary>
public sealed class KvCache
{
    public int RequestId { get; }
    public int Capacity { get; }
    public int RowWidth { get; }
    public int Length { get; private set; }
    readonly double[][] _k, _v;

    public KvCache(int requestId, int layers, int capacity, int rowWidth)
    {
        RequestId = requestId; Capacity = capacity; RowWidth = rowWidth;
        _k = new double[layers][];
        _v = new double[layers][];
        for (int l = 0; l < layers; l++) { _k[l] = new double[capacity * rowWidth]; _v[l] = new double[capacity * rowWidth]; }
    }

    public long Bytes => 2L * _k.Length * Capacity * RowWidth * sizeof(double);
    public double[] Keys(int layer) => _k[layer];
    public double[] Values(int layer) => _v[layer];

    /// <summary>Writes rows [srcRow, srcRow + count) of k/v (row width <see cref="RowWidth"/>) at positions Length...</summary>
    public void Write(int layer, double[] k, double[] v, int srcRow, int count)
    {
        if (Length + count > Capacity) throw new InvalidOperationException($"request {RequestId}: KV cache overflow ({Length} + {count} > {Capacity})");
        Array.Copy(k, srcRow * RowWidth, _k[layer], Length * RowWidth, count * RowWidth);
        Array.Copy(v, srcRow * RowWidth, _v[layer], Length * RowWidth, count * RowWidth);
    }

    /// <summary>Commits positions written to every layer in this stage.</summary>
    public void Advance(int count) => Length += count;
}
