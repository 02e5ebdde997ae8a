// SPDX-License-Identifier: Apache-2.0
// Runs the activation unit (SiLU) on binary32 inputs and returns RTL and golden binary16 outputs.
using CoDesign.Rtl.Golden;
using CoDesign.Rtl.Sim;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Runs;

public static class SiluRunner
{
    public static async Task<(ushort[] Rtl, ushort[] Golden, long Cycles)> RunAsync(PimConfig cfg, uint[] x, CancellationToken ct = default)
    {
        uint outAddr = (uint)(x.Length * 4);
        var sbuf = new byte[outAddr + x.Length * 2];
        Buffer.BlockCopy(x, 0, sbuf, 0, x.Length * 4);
        var ins = new PimInstruction { Opcode = PimOpcode.Silu, M = 1, K = (uint)x.Length, InputAddr = 0, OutputAddr = outAddr };
        var run = await PimSimulator.RunAsync(cfg, new PimJob([ins], new byte[64], sbuf), new PimRunOptions(), ct);
        if (run.IllegalInstruction) throw new RtlException("the controller rejected the SiLU instruction");
        var rtl = new ushort[x.Length];
        for (int i = 0; i < rtl.Length; i++) rtl[i] = BitConverter.ToUInt16(run.StackBuffer, (int)outAddr + 2 * i);
        return (rtl, x.Select(SoftmaxGolden.Silu).ToArray(), run.Cycles);
    }
}
