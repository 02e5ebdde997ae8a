// SPDX-License-Identifier: Apache-2.0
// Turns a compiler-emitted PimKernel program (symbolic tokens / context, strided addresses) into the plain
// instruction stream the operation controller decodes.
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Isa;

/// <summary>The run-time quantities of one kernel call (pim.proto, PimDim).</summary>
/// <param name="Tokens">tokens of this call (PIM_DIM_TOKENS)</param>
/// <param name="Context">KV positions the query row sees (PIM_DIM_CONTEXT); 0 for kernels without attention</param>
/// <param name="KMultiple">PimKernels.k_multiple, which PIM_DIM_CONTEXT_PADDED rounds up to</param>
public readonly record struct PimBinding(uint Tokens, uint Context, uint KMultiple)
{
    public uint ContextPadded => (Context + KMultiple - 1) / KMultiple * KMultiple;

    public uint Value(PimDim dim, uint field) => dim switch
    {
        PimDim.Fixed => field,
        PimDim.Tokens => Tokens,
        PimDim.Context => Context,
        PimDim.ContextPadded => ContextPadded,
        _ => throw new InputException($"unknown PIM dimension {dim}"),
    };
}

public static class PimKernelBinder
{
    /// <summary>True when the instruction has nothing left to bind (the only form with a 32-byte encoding).</summary>
    public static bool IsBound(PimInstruction i) =>
        i.MDim == PimDim.Fixed && i.KDim == PimDim.Fixed && i.NDim == PimDim.Fixed
        && i.WeightAddrStride == 0 && i.InputAddrStride == 0 && i.OutputAddrStride == 0;

    /// <summary>Binds one program of <paramref name="kernel"/>: dims filled in, addresses = addr + stride·V.</summary>
    public static List<PimInstruction> Bind(PimKernel kernel, int program, PimBinding b)
    {
        if (b.KMultiple == 0) throw new InputException("PIM binding needs the kernels' k_multiple");
        ulong v = b.Value(kernel.Scale, 0);
        uint Addr(uint a, uint stride)
        {
            ulong at = a + (ulong)stride * v;
            if (at > uint.MaxValue) throw new InputException($"PIM kernel {kernel.Name}: an address passes 4 GiB at {kernel.Scale} = {v}");
            return (uint)at;
        }
        return kernel.Programs[program].Instructions.Select(i => new PimInstruction
        {
            Opcode = i.Opcode,
            M = b.Value(i.MDim, i.M),
            K = b.Value(i.KDim, i.K),
            N = b.Value(i.NDim, i.N),
            WeightAddr = Addr(i.WeightAddr, i.WeightAddrStride),
            InputAddr = Addr(i.InputAddr, i.InputAddrStride),
            OutputAddr = Addr(i.OutputAddr, i.OutputAddrStride),
        }).ToList();
    }

    /// <summary>
    /// Bytes of stack buffer a bound program touches: the end of its furthest operand (GEMM: X binary16 [m][k],
    /// Y fp32 [m][n]; SOFTMAX: fp32 [k] in, binary16 [k] out; SILU: fp32 [m·k] in, binary16 [m·k] out).
    /// </summary>
    public static long StackBufferBytes(IEnumerable<PimInstruction> program) => program.Select(i => i.Opcode switch
    {
        PimOpcode.Gemm => Math.Max(i.InputAddr + 2L * i.M * i.K, i.OutputAddr + 4L * i.M * i.N),
        PimOpcode.Softmax => Math.Max(i.InputAddr + 4L * i.K, i.OutputAddr + 2L * i.K),
        PimOpcode.Silu => Math.Max(i.InputAddr + 4L * i.M * i.K, i.OutputAddr + 2L * i.M * i.K),
        _ => throw new InputException($"unknown PIM opcode {i.Opcode}"),
    }).DefaultIfEmpty(0).Max();
}
