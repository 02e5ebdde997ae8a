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

    /// <summary>Rolls back to the first <paramref name="length"/> positions (rejected speculative tokens); later writes overwrite the rest.</summary>
    public void Truncate(int length)
    {
        if (length < 0 || length > Length) throw new InvalidOperationException($"request {RequestId}: cannot roll the KV cache back from {Length} to {length}");
        Length = length;
    }

    /// <summary>Copies positions [0, count) of every layer from <paramref name="source"/> (a shared prefix computed once) and commits them.</summary>
    public void CopyPrefix(KvCache source, int count)
    {
        if (Length != 0 || count > source.Length || count > Capacity || source.RowWidth != RowWidth || source._k.Length != _k.Length)
            throw new InvalidOperationException($"request {RequestId}: cannot reuse {count} prefix positions of request {source.RequestId}");
        for (int l = 0; l < _k.Length; l++)
        {
            Array.Copy(source._k[l], _k[l], count * RowWidth);
            Array.Copy(source._v[l], _v[l], count * RowWidth);
        }
        Length = count;
    }
}
