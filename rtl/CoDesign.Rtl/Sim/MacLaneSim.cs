// SPDX-License-Identifier: Apache-2.0
// Streams MAC-lane vectors through the Verilated cd_mac_lane (8-byte records each way).
using System.Buffers.Binary;
using CliWrap;
using CoDesign.Rtl.Build;

namespace CoDesign.Rtl.Sim;

/// <summary>One MAC-lane input: acc + a * b.</summary>
public readonly record struct MacVector(ushort A, ushort B, uint Acc);

public static class MacLaneSim
{
    /// <summary>Product and sum bits the RTL computes for each vector.</summary>
    public static async Task<(uint Product, uint Sum)[]> RunAsync(IReadOnlyList<MacVector> vectors, CancellationToken ct = default)
    {
        var exe = await VerilatorBuild.EnsureBuiltAsync(VerilatorModel.MacLane(), ct);
        var input = new byte[vectors.Count * 8];
        for (int i = 0; i < vectors.Count; i++)
        {
            var s = input.AsSpan(i * 8);
            BinaryPrimitives.WriteUInt16LittleEndian(s, vectors[i].A);
            BinaryPrimitives.WriteUInt16LittleEndian(s[2..], vectors[i].B);
            BinaryPrimitives.WriteUInt32LittleEndian(s[4..], vectors[i].Acc);
        }
        using var output = new MemoryStream();
        var r = await CliWrap.Cli.Wrap(exe).WithStandardInputPipe(PipeSource.FromBytes(input))
            .WithStandardOutputPipe(PipeTarget.ToStream(output)).WithValidation(CommandResultValidation.None)
            .ExecuteAsync(ct);
        if (r.ExitCode != 0 || output.Length != input.Length)
            throw new RtlException($"cd_mac_lane harness failed (exit {r.ExitCode}, {output.Length} of {input.Length} bytes)");
        var o = output.ToArray();
        var res = new (uint, uint)[vectors.Count];
        for (int i = 0; i < res.Length; i++)
            res[i] = (BinaryPrimitives.ReadUInt32LittleEndian(o.AsSpan(i * 8)), BinaryPrimitives.ReadUInt32LittleEndian(o.AsSpan(i * 8 + 4)));
        return res;
    }
}
