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

    public static void Write(Stream output, IReadOnlyList<HostTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
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
                long size = t.Count * t.Storage.ElementBytes();
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.Storage.HeaderName());
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
        foreach (var t in tensors) output.Write(Encode(t));
    }

    static byte[] Encode(HostTensor t)
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
