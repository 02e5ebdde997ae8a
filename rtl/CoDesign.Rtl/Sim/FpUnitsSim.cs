// SPDX-License-Identifier: Apache-2.0
// Streams operand pairs through the Verilated cd_fp_units (8-byte records in, 20-byte records out).
using System.Buffers.Binary;
using CliWrap;
using CoDesign.Rtl.Build;

namespace CoDesign.Rtl.Sim;

/// <summary>What each binary32 unit computed for one (a, b).</summary>
public readonly record struct FpUnitsOut(uint Mul, uint Add, uint Exp, uint Recip, ushort Half);

public static class FpUnitsSim
{
    public static async Task<FpUnitsOut[]> RunAsync(IReadOnlyList<(uint A, uint B)> vectors, CancellationToken ct = default)
    {
        var exe = await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.FpUnits(), ct);
        var input = new byte[vectors.Count * 8];
        for (int i = 0; i < vectors.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(8 * i), vectors[i].A);
            BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(8 * i + 4), vectors[i].B);
        }
        using var output = new MemoryStream();
        var r = await CliWrap.Cli.Wrap(exe).WithStandardInputPipe(PipeSource.FromBytes(input))
            .WithStandardOutputPipe(PipeTarget.ToStream(output)).WithValidation(CommandResultValidation.None).ExecuteAsync(ct);
        if (r.ExitCode != 0 || output.Length != vectors.Count * 20L)
            throw new RtlException($"cd_fp_units harness failed (exit {r.ExitCode})");
        var o = output.ToArray();
        var res = new FpUnitsOut[vectors.Count];
        for (int i = 0; i < res.Length; i++)
        {
            var s = o.AsSpan(20 * i);
            res[i] = new FpUnitsOut(BinaryPrimitives.ReadUInt32LittleEndian(s), BinaryPrimitives.ReadUInt32LittleEndian(s[4..]),
                BinaryPrimitives.ReadUInt32LittleEndian(s[8..]), BinaryPrimitives.ReadUInt32LittleEndian(s[12..]),
                BinaryPrimitives.ReadUInt16LittleEndian(s[16..]));
        }
        return res;
    }
}
