using System.Buffers.Binary;
using System.Text;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Tests.Safetensors;

public class SafetensorsTests
{
    static byte[] Bytes(IReadOnlyList<HostTensor> tensors)
    {
        using var ms = new MemoryStream();
        SafetensorsWriter.Write(ms, tensors);
        return ms.ToArray();
    }

    [TestCase(TensorDType.F32)]
    [TestCase(TensorDType.F16)]
    [TestCase(TensorDType.BF16)]
    public void RoundTripIsExactForValuesOfTheStorageType(TensorDType t)
    {
        float[] raw = [0f, 1f, -2.5f, 3.14159265f, 1e-3f, -65504f, 1e-7f];
        var values = raw.Select(v => HalfBits.RoundTo(v, t)).ToArray();
        var bytes = Bytes([new HostTensor("a.weight", t, [7], values), new HostTensor("b", t, [1, 2], [HalfBits.RoundTo(0.5f, t), HalfBits.RoundTo(-0.25f, t)])]);
        var back = SafetensorsReader.Parse(bytes, "mem");
        Assert.That(back.Select(x => x.Name), Is.EqualTo(new[] { "a.weight", "b" }));
        Assert.That(back[0].Values, Is.EqualTo(values));
        Assert.That(back[0].Storage, Is.EqualTo(t));
        Assert.That(back[1].Shape, Is.EqualTo(new[] { 1, 2 }));
        // The data starts 8-byte aligned (header padded with spaces).
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(bytes) % 8, Is.Zero);
    }

    [Test]
    public void HeaderFollowsTheSafetensorsLayout()
    {
        var bytes = Bytes([new HostTensor("x", TensorDType.F16, [2], [1f, -2f])]);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, n).TrimEnd();
        Assert.That(header, Is.EqualTo("""{"x":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"""));
        // 1.0 = 0x3C00, -2.0 = 0xC000 in IEEE half, little-endian.
        Assert.That(bytes[(8 + n)..], Is.EqualTo(new byte[] { 0x00, 0x3C, 0x00, 0xC0 }));
    }

    [Test]
    public void Bf16RoundsToNearestEven()
    {
        // 1 + 2^-8 is exactly halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to the even one (1).
        Assert.That(HalfBits.Bf16ToFloat(HalfBits.FloatToBf16(1f + 1f / 256)), Is.EqualTo(1f));
        // 1 + 3·2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even).
        Assert.That(HalfBits.Bf16ToFloat(HalfBits.FloatToBf16(1f + 3f / 256)), Is.EqualTo(1f + 1f / 64));
        Assert.That(HalfBits.FloatToBf16(-2f), Is.EqualTo((ushort)0xC000));
    }

    static byte[] WithHeader(string json, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(json);
        var b = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)h.Length);
        h.CopyTo(b, 8);
        return b;
    }

    [TestCase(new byte[] { 1, 2, 3 }, "shorter than the 8-byte header length")]
    [TestCase(new byte[] { 255, 255, 0, 0, 0, 0, 0, 0, 32 }, "corrupt safetensors header length")]
    public void CorruptHeaderLengthIsAClearError(byte[] file, string message)
    {
        var e = Assert.Throws<InputException>(() => SafetensorsReader.Parse(file, "bad.safetensors"))!;
        Assert.That(e.Message, Does.Contain("bad.safetensors").And.Contain(message));
    }

    [TestCase("{not json", 0, "not valid JSON")]
    [TestCase("""{"w":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}}""", 2, "is I8; the runtime reads F32, F16 and BF16")]
    [TestCase("""{"w":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}""", 6, "outside the 6 data bytes")]
    [TestCase("""{"w":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}}""", 8, "do not match shape [3]")]
    [TestCase("""{"w":{"dtype":"F32","shape":[2]}}""", 8, "data_offsets")]
    public void CorruptHeaderIsAClearError(string header, int dataBytes, string message)
    {
        var e = Assert.Throws<InputException>(() => SafetensorsReader.Parse(WithHeader(header, dataBytes), "bad.safetensors"))!;
        Assert.That(e.Message, Does.Contain(message));
    }
}
