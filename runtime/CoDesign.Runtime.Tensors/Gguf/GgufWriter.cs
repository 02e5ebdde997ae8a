using System.Buffers.Binary;
using System.Text;
using CoDesign.Runtime.Tensors.Safetensors;

namespace CoDesign.Runtime.Tensors.Gguf;

/// <summary>
/// Writes a GGUF version 3 file (ggml's docs/gguf.md): magic "GGUF", version, tensor count, metadata count, the
/// key/value pairs, one info record per tensor (name, dimensions innermost first, ggml type, offset into the data
/// section), padding to <see cref="Alignment"/>, then each tensor's bytes, each padded to the alignment. All
/// integers little-endian. Only the value types and tensor types the exporter needs are implemented.
/// </summary>
public sealed class GgufWriter
{
    /// <summary>GGUF's default alignment (docs/gguf.md: general.alignment, 32 when absent); we write the key too.</summary>
    public const int Alignment = 32;
    const uint Magic = 0x46554747;   // "GGUF" read as a little-endian uint32
    const uint Version = 3;

    enum ValueType : uint { UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8, Array = 9 }

    /// <summary>ggml_type values (ggml.h): GGML_TYPE_F32 = 0, GGML_TYPE_F16 = 1, GGML_TYPE_BF16 = 30.</summary>
    public static uint GgmlType(TensorDType t) => t switch { TensorDType.F32 => 0u, TensorDType.F16 => 1u, _ => 30u };

    readonly List<(string Key, Action<BinaryWriter> Write)> _kv = [];
    readonly List<(string Name, long[] Dims, TensorDType Type, byte[] Data)> _tensors = [];

    public int TensorCount => _tensors.Count;

    public GgufWriter() => Add("general.alignment", (uint)Alignment);

    public void Add(string key, string value) => _kv.Add((key, w => { w.Write((uint)ValueType.String); Str(w, value); }));
    public void Add(string key, uint value) => _kv.Add((key, w => { w.Write((uint)ValueType.UInt32); w.Write(value); }));
    public void Add(string key, int value) => _kv.Add((key, w => { w.Write((uint)ValueType.Int32); w.Write(value); }));
    public void Add(string key, float value) => _kv.Add((key, w => { w.Write((uint)ValueType.Float32); w.Write(value); }));
    public void Add(string key, bool value) => _kv.Add((key, w => { w.Write((uint)ValueType.Bool); w.Write((byte)(value ? 1 : 0)); }));

    public void Add(string key, IReadOnlyList<string> values) => _kv.Add((key, w =>
    {
        w.Write((uint)ValueType.Array); w.Write((uint)ValueType.String); w.Write((ulong)values.Count);
        foreach (var s in values) Str(w, s);
    }
    ));

    public void Add(string key, IReadOnlyList<float> values) => _kv.Add((key, w =>
    {
        w.Write((uint)ValueType.Array); w.Write((uint)ValueType.Float32); w.Write((ulong)values.Count);
        foreach (var f in values) w.Write(f);
    }
    ));

    public void Add(string key, IReadOnlyList<int> values) => _kv.Add((key, w =>
    {
        w.Write((uint)ValueType.Array); w.Write((uint)ValueType.Int32); w.Write((ulong)values.Count);
        foreach (var i in values) w.Write(i);
    }
    ));

    /// <summary>A tensor with ggml dimensions (ne0 = the contiguous one first) and its elements in row-major order of the reversed dims.</summary>
    public void AddTensor(string name, long[] ggmlDims, TensorDType type, ReadOnlySpan<float> values)
    {
        long n = 1; foreach (var d in ggmlDims) n *= d;
        if (n != values.Length) throw new ArgumentException($"GGUF tensor {name}: dims need {n} values, got {values.Length}");
        var raw = new byte[n * type.ElementBytes()];
        for (int i = 0; i < values.Length; i++)
            switch (type)
            {
                case TensorDType.F32: BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), values[i]); break;
                case TensorDType.F16: BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(2 * i), HalfBits.FloatToF16(values[i])); break;
                default: BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(2 * i), HalfBits.FloatToBf16(values[i])); break;
            }
        _tensors.Add((name, ggmlDims, type, raw));
    }

    public void Write(Stream output)
    {
        using var w = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic); w.Write(Version);
        w.Write((ulong)_tensors.Count); w.Write((ulong)_kv.Count);
        foreach (var (key, write) in _kv) { Str(w, key); write(w); }
        ulong offset = 0;
        foreach (var t in _tensors)
        {
            Str(w, t.Name);
            w.Write((uint)t.Dims.Length);
            foreach (var d in t.Dims) w.Write((ulong)d);
            w.Write(GgmlType(t.Type));
            w.Write(offset);
            offset += Padded((ulong)t.Data.Length);
        }
        w.Flush();
        Pad(w, output.Position);
        foreach (var t in _tensors)
        {
            w.Write(t.Data);
            Pad(w, t.Data.Length);
        }
    }

    static ulong Padded(ulong n) => (n + Alignment - 1) / Alignment * Alignment;

    static void Pad(BinaryWriter w, long written)
    {
        long pad = (long)Padded((ulong)written) - written;
        for (long i = 0; i < pad; i++) w.Write((byte)0);
    }

    static void Str(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)b.Length); w.Write(b);
    }
}
