using System.Buffers.Binary;
using System.Text.Json;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Safetensors;

/// <summary>
/// Reads a .safetensors file: an 8-byte little-endian header length N, N bytes of JSON
/// (name -> {dtype, shape, data_offsets:[begin,end]} plus optional "__metadata__"), then the raw little-endian
/// data. Every inconsistency (short file, bad JSON, offsets out of range, size not matching the shape,
/// unsupported dtype) is an <see cref="InputException"/> naming the file and tensor.
/// </summary>
public static class SafetensorsReader
{
    // A header larger than this is not a checkpoint header; the limit stops a corrupt length from allocating GBs.
    const long MaxHeaderBytes = 100L << 20;

    public static List<HostTensor> Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InputException($"cannot read {path}: {e.Message}"); }
        return Parse(bytes, path);
    }

    public static List<HostTensor> Parse(ReadOnlySpan<byte> file, string origin)
    {
        if (file.Length < 8) throw new InputException($"{origin}: not a safetensors file ({file.Length} bytes, shorter than the 8-byte header length)");
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLen > MaxHeaderBytes || (long)headerLen > file.Length - 8)
            throw new InputException($"{origin}: corrupt safetensors header length {headerLen} (file has {file.Length - 8} bytes after it)");
        var header = file.Slice(8, (int)headerLen);
        var data = file[(8 + (int)headerLen)..];

        JsonDocument doc;
        try { doc = JsonDocument.Parse(header.ToArray()); }
        catch (JsonException e) { throw new InputException($"{origin}: corrupt safetensors header, not valid JSON ({e.Message.ReplaceLineEndings(" ")})"); }
        var tensors = new List<HostTensor>();
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InputException($"{origin}: safetensors header is not a JSON object");
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") continue;
                tensors.Add(ParseEntry(p.Name, p.Value, data, origin));
            }
        }
        return tensors;
    }

    static HostTensor ParseEntry(string name, JsonElement e, ReadOnlySpan<byte> data, string origin)
    {
        InputException Bad(string why) => new($"{origin}: tensor '{name}': {why}");
        if (e.ValueKind != JsonValueKind.Object) throw Bad("header entry is not an object");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw Bad("missing dtype");
        var dtype = TensorDTypes.FromHeaderName(dt.GetString()!) ?? throw Bad($"unsupported dtype {dt.GetString()} (supported: F32, F16, BF16)");
        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw Bad("missing shape");
        var shape = new int[sh.GetArrayLength()];
        int i = 0;
        foreach (var d in sh.EnumerateArray())
            shape[i++] = d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var v) && v >= 0 ? v : throw Bad($"bad shape entry {d.GetRawText()}");
        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2
            || !off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end))
            throw Bad("missing or malformed data_offsets");
        if (begin < 0 || end < begin || end > data.Length)
            throw Bad($"data_offsets [{begin}, {end}] outside the {data.Length} data bytes (truncated or corrupt file)");
        long count = HostTensor.ElementCount(shape);
        if (end - begin != count * dtype.ElementBytes())
            throw Bad($"{end - begin} data bytes do not match shape {HostTensor.ShapeText(shape)} of {dtype.HeaderName()} ({count * dtype.ElementBytes()} bytes)");
        return new HostTensor(name, dtype, shape, Decode(data.Slice((int)begin, (int)(end - begin)), dtype, (int)count));
    }

    static float[] Decode(ReadOnlySpan<byte> raw, TensorDType dtype, int count)
    {
        var values = new float[count];
        switch (dtype)
        {
            case TensorDType.F32:
                for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
                break;
            case TensorDType.F16:
                for (int i = 0; i < count; i++) values[i] = HalfBits.F16ToFloat(BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]));
                break;
            default:
                for (int i = 0; i < count; i++) values[i] = HalfBits.Bf16ToFloat(BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]));
                break;
        }
        return values;
    }
}
