// SPDX-License-Identifier: Apache-2.0
// Binary framing between C# and the pim_main harness: the job file in, the result file out.
using System.Buffers.Binary;
using CoDesign.Rtl.Isa;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Sim;

/// <summary>Everything one simulation needs: the instruction stream and the two memories' images.</summary>
public sealed class PimJob(IReadOnlyList<PimInstruction> program, byte[] dram, byte[] stackBuffer)
{
    const uint JobMagic = 0x49504443;     // "CDPI"
    const uint ResultMagic = 0x4f504443;  // "CDPO"

    public IReadOnlyList<PimInstruction> Program { get; } = program;
    public byte[] Dram { get; } = dram;
    public byte[] StackBuffer { get; } = stackBuffer;

    public void Write(string path)
    {
        using var f = File.Create(path);
        Span<byte> head = stackalloc byte[28];
        BinaryPrimitives.WriteUInt32LittleEndian(head, JobMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(head[4..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(head[8..], (uint)Program.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(head[12..], (ulong)Dram.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(head[20..], (ulong)StackBuffer.Length);
        f.Write(head);
        f.Write(PimEncoding.Encode(Program));
        f.Write(Dram);
        f.Write(StackBuffer);
    }

    /// <summary>Reads the harness's result file: status, cycles, DRAM command counts, final stack buffer.</summary>
    public static PimRunResult ReadResult(string path)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 68 || BinaryPrimitives.ReadUInt32LittleEndian(b) != ResultMagic)
            throw new RtlException($"{path} is not a pim_main result file");
        var r = b.AsSpan();
        ulong cycles = BinaryPrimitives.ReadUInt64LittleEndian(r[8..]);
        double wall = BinaryPrimitives.ReadDoubleLittleEndian(r[16..]);
        bool err = BinaryPrimitives.ReadUInt32LittleEndian(r[24..]) != 0;
        var cmds = new DramCommandCounts(
            Activate: (long)BinaryPrimitives.ReadUInt64LittleEndian(r[28..]),
            Read: (long)BinaryPrimitives.ReadUInt64LittleEndian(r[36..]),
            Precharge: (long)BinaryPrimitives.ReadUInt64LittleEndian(r[44..]),
            Refresh: (long)BinaryPrimitives.ReadUInt64LittleEndian(r[52..]));
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(r[60..]);
        if (68 + n != b.Length) throw new RtlException($"{path}: truncated stack-buffer image");
        return new PimRunResult((long)cycles, wall, err, cmds, r.Slice(68, (int)n).ToArray());
    }
}

/// <summary>DRAM commands the bank-bundle model issued, by kind.</summary>
public readonly record struct DramCommandCounts(long Activate, long Read, long Precharge, long Refresh);

/// <summary>What one simulation produced.</summary>
public sealed record PimRunResult(long Cycles, double WallSeconds, bool IllegalInstruction,
    DramCommandCounts Commands, byte[] StackBuffer)
{
    public double CyclesPerSecond => WallSeconds > 0 ? Cycles / WallSeconds : 0;
}
