// SPDX-License-Identifier: Apache-2.0
using CoDesign.Rtl.Isa;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Tests.Isa;

public class PimEncodingTests
{
    [Test]
    public void Encode_ThenDecode_GivesTheSameInstruction()
    {
        var ins = new PimInstruction { Opcode = PimOpcode.Gemm, M = 3, K = 4096, N = 512, WeightAddr = 0x1000, InputAddr = 64, OutputAddr = 0xFFFF_FFF0 };
        var bytes = new byte[PimEncoding.InstructionBytes];
        PimEncoding.Encode(ins, bytes);
        Assert.That(PimEncoding.Decode(bytes), Is.EqualTo(ins));
    }

    [Test]
    public void Encoding_PutsFieldsInTheWordsTheRtlDecodes()
    {
        var bytes = new byte[32];
        PimEncoding.Encode(new PimInstruction { Opcode = PimOpcode.Gemm, M = 2, K = 3, N = 4, WeightAddr = 5, InputAddr = 6, OutputAddr = 7 }, bytes);
        var words = Enumerable.Range(0, 8).Select(i => BitConverter.ToUInt32(bytes, 4 * i)).ToArray();
        Assert.That(words, Is.EqualTo(new uint[] { 1, 2, 3, 4, 5, 6, 7, 0 }));
    }

    [Test]
    public void Decode_RejectsReservedBits()
    {
        var bytes = new byte[32];
        bytes[28] = 1;
        Assert.Throws<InputException>(() => PimEncoding.Decode(bytes));
    }

    [Test]
    public void WeightLayout_KeepsEachTileRowContiguous()
    {
        // K = 12 in tiles of 8: tile 0 holds 8 columns of every row, tile 1 the last 4.
        Assert.Multiple(() =>
        {
            Assert.That(PimWeightLayout.Offset(0, 7, 12, 3, 8), Is.EqualTo(7));
            Assert.That(PimWeightLayout.Offset(1, 0, 12, 3, 8), Is.EqualTo(8));
            Assert.That(PimWeightLayout.Offset(0, 8, 12, 3, 8), Is.EqualTo(24));
            Assert.That(PimWeightLayout.Offset(2, 11, 12, 3, 8), Is.EqualTo(24 + 2 * 4 + 3));
        });
    }
}
