using System.Buffers.Binary;
using System.Text.Json;

namespace CoDesign.Runtime.Tensors.Safetensors;

/// <summary>
/// Writes tensors in the safetensors layout, each in its <see cref="HostTensor.Storage"/> type, in the order given
/// (so the same tensors give byte-identical files). The header is padded with spaces to a multiple of 8 bytes,
/// as the reference implementation does, so the data starts aligned.
/// </summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IReadOnlyList<HostTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var fs = File.Create(path);
        Write(fs, tensors, metadata);
    }

    public static void Write(Stream output, IReadOnlyList<HostTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        WriteRaw(output, [.. tensors.Select(t => new RawTensor(t.Name, t.Storage.HeaderName(), t.Shape, Encode(t)))], metadata);

    public static void WriteRaw(string path, IReadOnlyList<RawTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var fs = File.Create(path);
        WriteRaw(fs, tensors, metadata);
    }

    /// <summary>Tensors already encoded (any safetensors dtype, e.g. GPTQ's I32 packed words), in the order given.</summary>
    public static void WriteRaw(Stream output, IReadOnlyList<RawTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var headerStream = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerStream))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in tensors)
            {
                long size = t.Data.Length;
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType);
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + size);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += size;
            }
            w.WriteEndObject();
        }
        var header = headerStream.ToArray().ToList();
        while (header.Count % 8 != 0) header.Add((byte)' ');
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Count);
        output.Write(len);
        output.Write(header.ToArray());
        foreach (var t in tensors) output.Write(t.Data);
    }

    public static byte[] Encode(HostTensor t)
    {
        var raw = new byte[t.Count * t.Storage.ElementBytes()];
        var v = t.Values;
        switch (t.Storage)
        {
            case TensorDType.F32:
                for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), v[i]);
                break;
            case TensorDType.F16:
                for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(2 * i), HalfBits.FloatToF16(v[i]));
                break;
            default:
                for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(2 * i), HalfBits.FloatToBf16(v[i]));
                break;
        }
        return raw;
    }
}

/// <summary>One tensor as the file stores it: its safetensors dtype name, shape and little-endian bytes.</summary>
public sealed record RawTensor(string Name, string DType, int[] Shape, byte[] Data)
{
    public static RawTensor Int32(string name, int[] shape, int[] values)
    {
        var raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(4 * i), values[i]);
        return new RawTensor(name, "I32", shape, raw);
    }

    public static RawTensor F16Bits(string name, int[] shape, ushort[] bits)
    {
        var raw = new byte[bits.Length * 2];
        for (int i = 0; i < bits.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(2 * i), bits[i]);
        return new RawTensor(name, "F16", shape, raw);
    }
}
