using CoDesign.Compiler.Graph;
using CoDesign.Compiler.Models;
using CoDesign.Machine;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Emit;

/// <summary>
/// Lowers the PIM-placeable operators of each layer shape to Logic-PIM instruction streams (pim.proto's
/// PimKernels): per local expert GEMM gate, GEMM up, SILU(gate) | host SiLU·up | GEMM down; the dense FFN and
/// a shared expert (Qwen-MoE, DeepSeek: all shared experts as one FFN of their summed width, as the
/// checkpoints' MLP holds them) the same way; decode attention per KV-head group as GEMM q·Kᵀ, one SOFTMAX per query head, GEMM P·V;
/// the Q, K, V and output projections and the LM head as one GEMM each (the min-time placement puts them on PIM
/// when their Op/B is below the crossover, at small batches).
/// The memory plan is fixed here: weights at offsets of their bank-bundle space, buffers in the stack buffer at
/// base + stride·V with V the tokens of the call (FFN) or the padded context (attention), so the runtime binds
/// only V, M and the context (CoDesign.Rtl.Isa.PimKernelBinder).
/// </summary>
public static class LowerToPim
{
    /// <summary>
    /// The lane count of the published Logic-PIM GEMM module (512 FP16 MACs as 8 tokens x 64 lanes,
    /// docs/reference/duplex-spec.md §2). Every k is padded to it, which any smaller power-of-two configuration also divides;
    /// padding columns are zeros, which add exact zeros to every dot product.
    /// </summary>
    public const uint KMultiple = 64;

    /// <summary>Every buffer row and weight matrix starts on this many bytes (one DRAM burst).</summary>
    const uint Align = 64;

    public static PimKernels? Lower(Program p)
    {
        if (new DeviceModel(p.Hardware).Pim is not { Kind: ProcessorKind.LogicPim }) return null;
        var m = p.Model;
        var s = p.System;
        var kernels = new PimKernels { KMultiple = KMultiple };
        uint h = m.HiddenSize;
        // Two-matrix (non-gated) FFNs are not lowered: the kernels below are the SwiGLU form the runtime runs.
        bool gated = ModelStats.FfnMatrices(m) == 3;
        uint hq = Div(m.NumAttentionHeads, s.TensorParallel), hkv = Div(m.NumKvHeads, s.TensorParallel), d = m.HeadDim;
        foreach (var kind in p.LayerKinds)
        {
            ulong space0 = 0;   // next free byte of space 0 in this layer's region (FFN, shared expert, projections)
            // MLA's absorbed decode attention is not the per-KV-group kernel below; it is costed, not lowered.
            if (m.Mla is null && kind.Ops.Any(o => o.Name == OpNames.ScoreDecode)) kernels.Kernels.Add(Attention(kind.Name, m, s));
            if (kind.Ops.Any(o => o.Name == OpNames.Ffn) && gated)
            {
                var k = GatedFfn($"{kind.Name}.ffn", kind.Name, OpNames.Ffn, -1, 0, 0, h, Div(m.IntermediateSize, s.TensorParallel));
                space0 = k.WeightBytes;
                kernels.Kernels.Add(k);
            }
            if (kind.Ops.Any(o => o.Name == OpNames.Experts) && gated)
            {
                uint f = Div(m.ExpertIntermediateSize, s.ExpertTensorParallel);
                var next = new ulong[p.BankBundleSpaces];   // next free byte of each space in this layer's region
                for (int e = 0; e < p.LocalExperts; e++)
                {
                    uint space = p.ExpertSpace[e];
                    var k = GatedFfn($"{kind.Name}.expert.{e}", kind.Name, OpNames.Experts, e, space, next[space], h, f);
                    next[space] += k.WeightBytes;
                    kernels.Kernels.Add(k);
                }
                space0 = next.Length > 0 ? next[0] : 0;
                // The min-time placement puts a shared expert on PIM when its Op/B is below the crossover. Its
                // weights follow the routed experts' in space 0, so no two kernels' weights overlap.
                if (kind.Ops.Any(o => o.Name == OpNames.SharedExpert))
                {
                    var k = GatedFfn($"{kind.Name}.shared_expert", kind.Name, OpNames.SharedExpert, -1, 0, space0, h,
                        Div(m.NumSharedExperts * m.SharedExpertIntermediateSize, s.TensorParallel));
                    space0 += k.WeightBytes;
                    kernels.Kernels.Add(k);
                }
            }
            // The projections' weights follow in space 0 (the paper places only experts and KV over the spaces).
            if (kind.Ops.Any(o => o.Name == OpNames.QkvProjection))
                foreach (var (part, n) in new[] { ("q", hq * d), ("k", hkv * d), ("v", hkv * d) })
                    AddLinear(kernels, $"{kind.Name}.qkv_projection.{part}", kind.Name, OpNames.QkvProjection, ref space0, h, n);
            if (kind.Ops.Any(o => o.Name == OpNames.OutputProjection))
                AddLinear(kernels, $"{kind.Name}.output_projection", kind.Name, OpNames.OutputProjection, ref space0, hq * d, h);
        }
        if (p.HeadOps.Any(o => o.Name == OpNames.LmHead))
        {
            ulong head = 0;
            AddLinear(kernels, "head.lm_head", "head", OpNames.LmHead, ref head, h, Div(m.VocabSize, s.TensorParallel));
        }
        return kernels;
    }

    /// <summary>
    /// y[tokens][n] = x[tokens][k]·Wᵀ as one GEMM with W [n][kp] at <paramref name="wBase"/> of space 0. Stack buffer:
    /// X binary16 [tokens][kp] at 0, Y fp32 [tokens][n] after it. A weight that would end beyond the 32-bit address
    /// space gets no kernel (only models far larger than the RTL runs), and the rtl backend then names the missing one.
    /// </summary>
    static void AddLinear(PimKernels kernels, string name, string layerKind, string op, ref ulong wBase, uint k, uint n)
    {
        uint kp = Up(k, KMultiple);
        ulong bytes = 2UL * n * kp;   // 64-bit: a large vocabulary's LM head passes 2^32 bytes
        ulong end = wBase + (bytes + Align - 1) / Align * Align;
        if (end > uint.MaxValue) return;
        var prog = new PimProgram();
        prog.Instructions.Add(Gemm(kp, n, (uint)wBase, 0, 0, 0, 0, Up(2 * kp, Align)));
        kernels.Kernels.Add(new PimKernel
        {
            Name = name,
            LayerKind = layerKind,
            Op = op,
            Expert = -1,
            Space = 0,
            Scale = PimDim.Tokens,
            Programs = { prog },
            WeightBytes = end - wBase,
        });
        wBase = end;
    }

    static uint Div(uint a, uint b) => (a + Math.Max(1, b) - 1) / Math.Max(1, b);
    static uint Up(uint v, uint a) => (v + a - 1) / a * a;

    static PimInstruction Gemm(uint k, uint n, uint w, uint wStride, uint x, uint xStride, uint y, uint yStride) => new()
    {
        Opcode = PimOpcode.Gemm,
        MDim = PimDim.Tokens,
        K = k,
        N = n,
        WeightAddr = w,
        WeightAddrStride = wStride,
        InputAddr = x,
        InputAddrStride = xStride,
        OutputAddr = y,
        OutputAddrStride = yStride,
    };

    /// <summary>
    /// Gated FFN of width f on hidden h. Weights from <paramref name="wBase"/>: gate [f][hp], up [f][hp],
    /// down [h][fp]. Stack buffer, each region [tokens][row] at stride·tokens (rows rounded to 64 bytes):
    /// X binary16 [hp] | G fp32 [f] | U fp32 [f] | SiLU(G) binary16 [f] | A binary16 [fp] | Y fp32 [h].
    /// </summary>
    static PimKernel GatedFfn(string name, string layerKind, string op, int expert, uint space, ulong wBase, uint h, uint f)
    {
        uint hp = Up(h, KMultiple), fp = Up(f, KMultiple);
        ulong gate = wBase, up = gate + Up(2 * f * hp, Align), down = up + Up(2 * f * hp, Align), end = down + Up(2 * h * fp, Align);
        if (end > uint.MaxValue) throw new Schema.InputException($"PIM kernel {name}: weights end at byte {end}, beyond the 32-bit address space");
        uint[] rows = [Up(2 * hp, Align), Up(4 * f, Align), Up(4 * f, Align), Up(2 * f, Align), Up(2 * fp, Align), Up(4 * h, Align)];
        // Region i starts after i regions of [tokens][rows[j]]: address 0 + (sum of rows before i)·tokens.
        uint At(int i) => (uint)rows.Take(i).Sum(r => (long)r);
        uint xs = At(0), gs = At(1), us = At(2), ss = At(3), as_ = At(4), ys = At(5);
        var first = new PimProgram();
        first.Instructions.Add(Gemm(hp, f, (uint)gate, 0, 0, xs, 0, gs));
        first.Instructions.Add(Gemm(hp, f, (uint)up, 0, 0, xs, 0, us));
        first.Instructions.Add(new PimInstruction { Opcode = PimOpcode.Silu, MDim = PimDim.Tokens, K = f, InputAddrStride = gs, OutputAddrStride = ss });
        var second = new PimProgram();
        second.Instructions.Add(Gemm(fp, h, (uint)down, 0, 0, as_, 0, ys));
        return new PimKernel
        {
            Name = name,
            LayerKind = layerKind,
            Op = op,
            Expert = expert,
            Space = space,
            Scale = PimDim.Tokens,
            Programs = { first, second },
            WeightBytes = end - wBase,
        };
    }

    /// <summary>
    /// Decode attention of one query row and one KV-head group (g query heads of dimension d), V = padded
    /// context Cp. Weights: K [Cp][dp] at 0, Vᵀ [d][Cp] at 2·dp·Cp. Stack buffer: q binary16 [g][dp] at 0, then
    /// from q0 = its rounded size: S fp32 [g][Cp], P binary16 [g][Cp], O fp32 [g][d]. S spans Cp columns (zero
    /// keys score 0) so each query head's softmax row starts at 4·j·Cp and reads only the real context.
    /// </summary>
    static PimKernel Attention(string layerKind, ModelConfig m, SystemConfig s)
    {
        uint hq = Div(m.NumAttentionHeads, s.TensorParallel), hkv = Div(m.NumKvHeads, s.TensorParallel);
        uint g = hq / hkv, d = m.HeadDim, dp = Up(d, KMultiple), q0 = Up(2 * g * dp, Align);
        var prog = new PimProgram();
        prog.Instructions.Add(new PimInstruction
        {
            Opcode = PimOpcode.Gemm,
            M = g,
            K = dp,
            NDim = PimDim.ContextPadded,
            WeightAddr = 0,
            InputAddr = 0,
            OutputAddr = q0,
        });
        for (uint j = 0; j < g; j++)
            prog.Instructions.Add(new PimInstruction
            {
                Opcode = PimOpcode.Softmax,
                M = 1,
                KDim = PimDim.Context,
                InputAddr = q0,
                InputAddrStride = 4 * j,
                OutputAddr = q0,
                OutputAddrStride = 4 * g + 2 * j,
            });
        prog.Instructions.Add(new PimInstruction
        {
            Opcode = PimOpcode.Gemm,
            M = g,
            KDim = PimDim.ContextPadded,
            N = d,
            WeightAddr = 0,
            WeightAddrStride = 2 * dp,
            InputAddr = q0,
            InputAddrStride = 4 * g,
            OutputAddr = q0,
            OutputAddrStride = 6 * g,
        });
        return new PimKernel
        {
            Name = $"{layerKind}.attention.decode",
            LayerKind = layerKind,
            Op = OpNames.ScoreDecode,
            Expert = -1,
            Scale = PimDim.ContextPadded,
            Programs = { prog },
        };
    }
}
