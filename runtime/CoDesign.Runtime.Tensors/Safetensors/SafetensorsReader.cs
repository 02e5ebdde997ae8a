using System.Buffers.Binary;
using System.Text.Json;
using CoDesign.Schema;
using CoDesign.Schema.Validation;

namespace CoDesign.Runtime.Tensors.Safetensors;

/// <summary>
/// Reads a .safetensors file: an 8-byte little-endian header length N, N bytes of JSON
/// (name -> {dtype, shape, data_offsets:[begin,end]} plus optional "__metadata__"), then the raw little-endian
/// data. Every inconsistency (short file, bad JSON, offsets out of range or overlapping, size not matching the
/// shape, non-finite values in a tensor that is read) is an <see cref="InputException"/> naming the file and tensor.
/// <see cref="Open"/> reads only the header; a tensor's data is read and decoded when it is asked for, so tensors
/// the model does not need (rotary caches, position ids of another dtype) cost nothing and never fail a checkpoint.
/// </summary>
public static class SafetensorsReader
{
    // A header larger than this is not a checkpoint header; the limit stops a corrupt length from allocating GBs.
    const long MaxHeaderBytes = 100L << 20;
    // Our bound: checkpoints use rank 1-4; a rank above 8 is a corrupt header.
    const int MaxRank = 8;

    /// <summary>One header entry. <see cref="DType"/> is null for a type the runtime does not compute with (I64, U8, ...).</summary>
    public sealed record Entry(string Name, string DTypeName, TensorDType? DType, int[] Shape, long Begin, long End);

    /// <summary>An opened file: its header entries, and each tensor decoded on request.</summary>
    public sealed class Shard(string origin, Func<Stream> open, long dataStart, IReadOnlyList<Entry> entries)
    {
        public string Origin => origin;
        public IReadOnlyList<Entry> Entries => entries;
        readonly Dictionary<string, Entry> _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);

        public bool Has(string name) => _byName.ContainsKey(name);

        /// <summary>The header entry of tensor <paramref name="name"/> (its dtype and shape, read without its data).</summary>
        public Entry EntryOf(string name) => _byName[name];

        /// <summary>Reads and decodes tensor <paramref name="name"/>; a type the runtime does not compute with, or a
        /// NaN/Infinity among its values, is an <see cref="InputException"/>.</summary>
        public HostTensor Read(string name)
        {
            var e = _byName[name];
            if (e.DType is not { } dtype)
                throw new InputException($"{origin}: tensor '{name}' is {e.DTypeName}; the runtime reads F32, F16 and BF16 weights");
            var raw = Raw(e);
            var values = Decode(raw, dtype, (int)HostTensor.ElementCount(e.Shape));
            int bad = Array.FindIndex(values, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new InputException($"{origin}: tensor '{name}' holds {values[bad]} at element {bad}: a checkpoint's weights must be finite");
            return new HostTensor(name, dtype, e.Shape, values);
        }

        byte[] Raw(Entry e)
        {
            if (e.End - e.Begin > Array.MaxLength) throw new InputException($"{origin}: tensor '{e.Name}' is larger than one array can hold ({e.End - e.Begin} bytes)");
            var raw = new byte[e.End - e.Begin];
            try
            {
                using var s = open();
                s.Seek(dataStart + e.Begin, SeekOrigin.Begin);
                s.ReadExactly(raw);
            }
            catch (Exception x) when (x is IOException or UnauthorizedAccessException)
            { throw new InputException($"cannot read {origin}: {x.Message}"); }
            return raw;
        }

        /// <summary>The raw elements of an I32 tensor (GPTQ's packed qweight, qzeros and g_idx).</summary>
        public int[] ReadInt32(string name)
        {
            var e = _byName[name];
            if (e.DTypeName != "I32") throw new InputException($"{origin}: tensor '{name}' is {e.DTypeName}, expected I32");
            var raw = Raw(e);
            var v = new int[raw.Length / 4];
            for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(4 * i));
            return v;
        }

        /// <summary>The binary16 encodings of an F16 tensor (GPTQ's scales), without widening.</summary>
        public ushort[] ReadF16Bits(string name)
        {
            var e = _byName[name];
            if (e.DTypeName != "F16") throw new InputException($"{origin}: tensor '{name}' is {e.DTypeName}, expected F16");
            var raw = Raw(e);
            var v = new ushort[raw.Length / 2];
            for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(2 * i));
            return v;
        }

        /// <summary>Every tensor, in header order (a type the runtime does not compute with is an error).</summary>
        public List<HostTensor> ReadAll() => entries.Select(e => Read(e.Name)).ToList();
    }

    public static List<HostTensor> Read(string path) => Open(path).ReadAll();

    public static List<HostTensor> Parse(ReadOnlySpan<byte> file, string origin) => Open(file.ToArray(), origin).ReadAll();

    /// <summary>Opens a file on disk; only the header is read now.</summary>
    public static Shard Open(string path)
    {
        try
        {
            // Streamed, not read whole: a Hugging Face shard is often several GB, more than one array can hold.
            Stream Opener() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var fs = Opener();
            return Header(fs, path, Opener);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InputException($"cannot read {path}: {e.Message}"); }
    }

    /// <summary>Opens a file held in memory.</summary>
    public static Shard Open(byte[] bytes, string origin)
    {
        Stream Opener() => new MemoryStream(bytes, writable: false);
        using var ms = Opener();
        return Header(ms, origin, Opener);
    }

    static Shard Header(Stream file, string origin, Func<Stream> open)
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
        var entries = new List<Entry>();
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InputException($"{origin}: safetensors header is not a JSON object");
            JsonStrings.Check(doc.RootElement, $"{origin}: safetensors header");
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name != "__metadata__") entries.Add(ParseEntry(p.Name, p.Value, dataLength, origin));
        }
        CheckNoOverlap(entries, origin);
        return new Shard(origin, open, dataStart, entries);
    }

    /// <summary>Two tensors whose byte ranges share a byte would alias each other's weights: a corrupt header.</summary>
    static void CheckNoOverlap(List<Entry> entries, string origin)
    {
        Entry? previous = null;
        foreach (var e in entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin))
        {
            if (previous is not null && e.Begin < previous.End)
                throw new InputException($"{origin}: tensors '{previous.Name}' [{previous.Begin}, {previous.End}) and '{e.Name}' [{e.Begin}, {e.End}) " +
                    "overlap in the data (corrupt header)");
            previous = e;
        }
    }

    /// <summary>Element sizes of the safetensors dtypes (the format's spec); used to check any entry's size.</summary>
    static int? HeaderElementBytes(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E4M3" or "F8_E5M2" => 1,
        "U16" or "I16" or "F16" or "BF16" => 2,
        "U32" or "I32" or "F32" => 4,
        "U64" or "I64" or "F64" => 8,
        _ => null,
    };

    static Entry ParseEntry(string name, JsonElement e, long dataLength, string origin)
    {
        InputException Bad(string why) => new($"{origin}: tensor '{name}': {why}");
        if (e.ValueKind != JsonValueKind.Object) throw Bad("header entry is not an object");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw Bad("missing dtype");
        string dtypeName = dt.GetString()!;
        var dtype = TensorDTypes.FromHeaderName(dtypeName);
        int elementBytes = HeaderElementBytes(dtypeName) ?? throw Bad($"unknown dtype {InputText.Quote(dtypeName)}");
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
        if (shape.Aggregate(1.0, (a, d) => a * d) * elementBytes > dataLength)
            throw Bad($"shape {HostTensor.ShapeText(shape)} needs more bytes than the file's {dataLength} data bytes");
        long count = HostTensor.ElementCount(shape);
        if (end - begin != count * elementBytes)
            throw Bad($"{end - begin} data bytes do not match shape {HostTensor.ShapeText(shape)} of {dtypeName} ({count * elementBytes} bytes)");
        return new Entry(name, dtypeName, dtype, shape, begin, end);
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
