// SPDX-License-Identifier: Apache-2.0
// The fixed binary form of a PimInstruction that the RTL operation controller decodes (cd_pkg::instr_t).
using System.Buffers.Binary;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Isa;

/// <summary>Encodes and decodes PIM instructions as eight little-endian uint32 words (32 bytes).</summary>
public static class PimEncoding
{
    public const int InstructionBytes = 32;

    public static void Encode(PimInstruction ins, Span<byte> dst)
    {
        if (dst.Length < InstructionBytes) throw new ArgumentException("need 32 bytes", nameof(dst));
        if (!PimKernelBinder.IsBound(ins)) throw new InputException("a PIM instruction with symbolic dimensions or address strides must be bound (PimKernelBinder) before it is encoded");
        if ((uint)ins.Opcode > 0xff) throw new InputException($"PIM opcode {(int)ins.Opcode} does not fit 8 bits");
        Span<uint> w = [(uint)ins.Opcode, ins.M, ins.K, ins.N, ins.WeightAddr, ins.InputAddr, ins.OutputAddr, 0];
        for (int i = 0; i < w.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(dst[(4 * i)..], w[i]);
    }

    public static byte[] Encode(IReadOnlyList<PimInstruction> program)
    {
        var bytes = new byte[program.Count * InstructionBytes];
        for (int i = 0; i < program.Count; i++) Encode(program[i], bytes.AsSpan(i * InstructionBytes));
        return bytes;
    }

    public static PimInstruction Decode(ReadOnlySpan<byte> src)
    {
        if (src.Length < InstructionBytes) throw new InputException("a PIM instruction is 32 bytes");
        Span<uint> w = stackalloc uint[8];
        for (int i = 0; i < 8; i++) w[i] = BinaryPrimitives.ReadUInt32LittleEndian(src[(4 * i)..]);
        if ((w[0] & ~0xffu) != 0 || w[7] != 0) throw new InputException("PIM instruction has reserved bits set");
        return new PimInstruction
        {
            Opcode = (PimOpcode)(w[0] & 0xff),
            M = w[1],
            K = w[2],
            N = w[3],
            WeightAddr = w[4],
            InputAddr = w[5],
            OutputAddr = w[6],
        };
    }
}
