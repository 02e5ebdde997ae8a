using System.Buffers.Binary;
using System.Text.Json;
using CoDesign.Schema;
using CoDesign.Schema.Validation;

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
    // Our bound: checkpoints use rank 1-4; a rank above 8 is a corrupt header.
    const int MaxRank = 8;

    public static List<HostTensor> Read(string path)
    {
        try
        {
            // Streamed, not read whole: a Hugging Face shard is often several GB, more than one array can hold.
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            return Parse(fs, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InputException($"cannot read {path}: {e.Message}"); }
    }

    public static List<HostTensor> Parse(ReadOnlySpan<byte> file, string origin)
    {
        using var ms = new MemoryStream(file.ToArray(), writable: false);
        return Parse(ms, origin);
    }

    public static List<HostTensor> Parse(Stream file, string origin)
    {
        long length = file.Length;
        if (length < 8) throw new InputException($"{origin}: not a safetensors file ({length} bytes, shorter than the 8-byte header length)");
        Span<byte> len = stackalloc byte[8];
        file.ReadExactly(len);
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLen > MaxHeaderBytes || (long)headerLen > length - 8)
            throw new InputException($"{origin}: corrupt safetensors header length {headerLen} (file has {length - 8} bytes after it)");
        var header = new byte[headerLen];
        file.ReadExactly(header);
        long dataStart = 8 + (long)headerLen, dataLength = length - dataStart;

        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw new InputException($"{origin}: corrupt safetensors header, not valid JSON ({InputText.OneLine(e.Message)})"); }
        var entries = new List<(string Name, TensorDType DType, int[] Shape, long Begin, long End)>();
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InputException($"{origin}: safetensors header is not a JSON object");
            JsonStrings.Check(doc.RootElement, $"{origin}: safetensors header");
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name != "__metadata__") entries.Add(ParseEntry(p.Name, p.Value, dataLength, origin));
        }
        var tensors = new List<HostTensor>(entries.Count);
        foreach (var (name, dtype, shape, begin, end) in entries)
        {
            if (end - begin > Array.MaxLength) throw new InputException($"{origin}: tensor '{name}' is larger than one array can hold ({end - begin} bytes)");
            var raw = new byte[end - begin];
            file.Seek(dataStart + begin, SeekOrigin.Begin);
            file.ReadExactly(raw);
            tensors.Add(new HostTensor(name, dtype, shape, Decode(raw, dtype, (int)HostTensor.ElementCount(shape))));
        }
        return tensors;
    }

    static (string, TensorDType, int[], long, long) ParseEntry(string name, JsonElement e, long dataLength, string origin)
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
            || off[0].ValueKind != JsonValueKind.Number || off[1].ValueKind != JsonValueKind.Number || !off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end))
            throw Bad("missing or malformed data_offsets");
        if (begin < 0 || end < begin || end > dataLength)
            throw Bad($"data_offsets [{begin}, {end}] outside the {dataLength} data bytes (truncated or corrupt file)");
        // The element count is checked in floating point first: a product of int dimensions can wrap a long.
        if (shape.Length > MaxRank) throw Bad($"shape has {shape.Length} dimensions, more than {MaxRank}");
        if (shape.Aggregate(1.0, (a, d) => a * d) * dtype.ElementBytes() > dataLength)
            throw Bad($"shape {HostTensor.ShapeText(shape)} needs more bytes than the file's {dataLength} data bytes");
        long count = HostTensor.ElementCount(shape);
        if (end - begin != count * dtype.ElementBytes())
            throw Bad($"{end - begin} data bytes do not match shape {HostTensor.ShapeText(shape)} of {dtype.HeaderName()} ({count * dtype.ElementBytes()} bytes)");
        return (name, dtype, shape, begin, end);
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
