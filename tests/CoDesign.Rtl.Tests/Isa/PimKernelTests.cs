// SPDX-License-Identifier: Apache-2.0
// The compiler's Logic-PIM kernels (Program.pim_kernels): their shapes, their memory plan, and one expert
// kernel executed on the Verilated module against the golden model.
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Rtl.Golden;
using CoDesign.Rtl.Isa;
using CoDesign.Rtl.Sim;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Tests.Isa;

public class PimKernelTests
{
    static Program Compile(string model, string? weightType = null) =>
        ProgramCompiler.Compile(ModelLoader.WithTypes(ModelLoader.Resolve(model), weightType, null, null), HardwarePresets.Duplex(), new SystemOptions(1));

    /// <summary>Binds every program of the kernel and sends it through the 32-byte encoding and back.</summary>
    static List<List<PimInstruction>> BindAndRoundTrip(PimKernel k, PimBinding b) =>
        k.Programs.Select((_, i) =>
        {
            var bound = PimKernelBinder.Bind(k, i, b);
            var bytes = PimEncoding.Encode(bound);
            var back = Enumerable.Range(0, bound.Count).Select(j => PimEncoding.Decode(bytes.AsSpan(j * PimEncoding.InstructionBytes))).ToList();
            Assert.That(back, Is.EqualTo(bound));
            return back;
        }).ToList();

    // (model, weight type that makes it fit one duplex device, hidden, expert width, query heads per KV head, head dim)
    [TestCase("mixtral-8x7b", "int8", 4096u, 14336u, 4u, 128u)]
    [TestCase("tiny-moe", null, 256u, 512u, 4u, 32u)]
    public void ExpertAndAttentionKernels_DecodeWithTheModelsDimensions(string model, string? weightType, uint h, uint f, uint group, uint d)
    {
        var p = Compile(model, weightType);
        var ks = p.PimKernels;
        Assert.That(ks, Is.Not.Null);
        Assert.That(ks.KMultiple, Is.EqualTo(LowerToPim.KMultiple));
        var experts = ks.Kernels.Where(k => k.Op == "experts").ToList();
        Assert.That(experts.Select(k => k.Expert), Is.EqualTo(Enumerable.Range(0, (int)p.LocalExperts)));

        // 3 tokens: the m the runtime binds, also one more than the CI module's tokens per pass.
        var e = BindAndRoundTrip(experts[1], new PimBinding(3, 0, ks.KMultiple));
        Assert.That(e.Select(pr => pr.Select(i => (i.Opcode, i.M, i.K, i.N))), Is.EqualTo(new[]
        {
            new[] { (PimOpcode.Gemm, 3u, h, f), (PimOpcode.Gemm, 3u, h, f), (PimOpcode.Silu, 3u, f, 0u) },
            new[] { (PimOpcode.Gemm, 3u, f, h) },
        }));
        // The SiLU reads the gate GEMM's output and the down GEMM reads a buffer nothing in program 0 writes.
        Assert.That(e[0][2].InputAddr, Is.EqualTo(e[0][0].OutputAddr));
        Assert.That(new[] { e[0][0].OutputAddr, e[0][1].OutputAddr, e[0][2].OutputAddr }, Does.Not.Contain(e[1][0].InputAddr));

        // Context 70: padded to 128 for the GEMMs, 70 scores per softmax row, one softmax per query head.
        var att = ks.Kernels.Single(k => k.Op == "attention.score.decode");
        var a = BindAndRoundTrip(att, new PimBinding(1, 70, ks.KMultiple))[0];
        uint dp = (d + 63) / 64 * 64;
        Assert.That(a.Select(i => (i.Opcode, i.M, i.K, i.N)), Is.EqualTo(
            new[] { (PimOpcode.Gemm, group, dp, 128u) }
            .Concat(Enumerable.Repeat((PimOpcode.Softmax, 1u, 70u, 0u), (int)group))
            .Append((PimOpcode.Gemm, group, 128u, d))));
        // Softmax rows: S row j at 4·j·Cp past S, P row j at 2·j·Cp past P, and the P·V GEMM reads P.
        for (int j = 0; j < group; j++)
        {
            Assert.That(a[1 + j].InputAddr, Is.EqualTo(a[0].OutputAddr + 4 * 128 * j));
            Assert.That(a[1 + j].OutputAddr, Is.EqualTo(a[^1].InputAddr + 2 * 128 * j));
        }
        Assert.That(a[^1].InputAddr, Is.EqualTo(a[0].OutputAddr + 4 * group * 128));
        Assert.That(a[^1].WeightAddr, Is.EqualTo(2 * dp * 128), "Vᵀ follows the padded K rows");
    }

    [Test]
    public void DenseModel_GetsADenseFfnKernel()
    {
        var ks = Compile("tiny-dense").PimKernels;
        var ffn = ks.Kernels.Single(k => k.Op == "ffn");
        var b = BindAndRoundTrip(ffn, new PimBinding(2, 0, ks.KMultiple));
        Assert.That(b[1][0].K, Is.EqualTo(512u));
        Assert.That(ks.Kernels.Any(k => k.Op == "experts"), Is.False);
    }

    [Test]
    public void WithoutLogicPim_NoKernels()
    {
        var p = ProgramCompiler.Compile(ModelLoader.Resolve("tiny-moe"), HardwarePresets.H100(), new SystemOptions(1));
        Assert.That(p.PimKernels, Is.Null);
    }

    /// <summary>[start, end) of each weight matrix the bound kernel streams (n rows of k binary16).</summary>
    static IEnumerable<(long Start, long End)> WeightRanges(PimKernel k) =>
        BindAndRoundTrip(k, new PimBinding(1, 0, 64)).SelectMany(pr => pr).Where(i => i.Opcode == PimOpcode.Gemm)
            .Select(i => ((long)i.WeightAddr, i.WeightAddr + 2L * i.K * i.N));

    [TestCase("mixtral-8x7b", "int8")]
    [TestCase("tiny-moe", null)]
    public void ExpertWeights_LieInTheirOwnSpace_AndNeverOverlap(string model, string? weightType)
    {
        var p = Compile(model, weightType);
        var experts = p.PimKernels.Kernels.Where(k => k.Op == "experts").ToList();
        Assert.That(p.LocalExperts, Is.GreaterThan(p.BankBundleSpaces), "some space must hold two experts for the overlap check to mean anything");
        foreach (var k in experts) Assert.That(k.Space, Is.EqualTo(p.ExpertSpace[k.Expert]));
        foreach (var space in experts.GroupBy(k => k.Space))
        {
            var ranges = space.SelectMany(WeightRanges).OrderBy(r => r.Start).ToList();
            for (int i = 1; i < ranges.Count; i++)
                Assert.That(ranges[i].Start, Is.GreaterThanOrEqualTo(ranges[i - 1].End), $"space {space.Key}: weight matrices overlap");
            // weight_bytes covers what the kernel streams, so the next expert's base is past it.
            foreach (var k in space)
            {
                var r = WeightRanges(k).ToList();
                Assert.That(r.Max(x => x.End) - r.Min(x => x.Start), Is.LessThanOrEqualTo((long)k.WeightBytes));
            }
        }
    }

    [Test]
    public void Encode_RejectsAnUnboundInstruction()
    {
        var k = Compile("tiny-moe").PimKernels.Kernels.First(k => k.Op == "experts");
        Assert.Throws<InputException>(() => PimEncoding.Encode(k.Programs[0].Instructions));
    }

    static ushort[] RandomHalves(Random rng, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => BitConverter.HalfToUInt16Bits((Half)((rng.NextDouble() * 2 - 1) * scale))).ToArray();

    static void Put(byte[] mem, long at, ReadOnlySpan<ushort> v)
    {
        for (int i = 0; i < v.Length; i++) BitConverter.TryWriteBytes(mem.AsSpan((int)(at + 2 * i)), v[i]);
    }

    static uint[] Words(byte[] mem, long at, int count) => Enumerable.Range(0, count).Select(i => BitConverter.ToUInt32(mem, (int)at + 4 * i)).ToArray();
    static ushort[] Halves(byte[] mem, long at, int count) => Enumerable.Range(0, count).Select(i => BitConverter.ToUInt16(mem, (int)at + 2 * i)).ToArray();

    /// <summary>
    /// Runs tiny-moe's expert 1 kernel (whose weights sit after expert 0's when they share a space) exactly as
    /// emitted, on the CI module, with 3 tokens: gate, up and SiLU bit-exact to the golden model, then the
    /// host product and the down GEMM bit-exact too. Wrong addresses, dims or strides break the equality.
    /// </summary>
    [Test]
    public async Task ExpertKernel_RunsOnTheVerilatedModule_BitExactToTheGoldenModel()
    {
        VerilatorFixture.RequireVerilator();
        var cfg = VerilatorFixture.Ci();
        var ks = Compile("tiny-moe").PimKernels;
        var kernel = ks.Kernels.First(k => k.Op == "experts" && k.Programs[0].Instructions[0].WeightAddr > 0);
        const int m = 3;
        var b = new PimBinding(m, 0, ks.KMultiple);
        var p0 = PimKernelBinder.Bind(kernel, 0, b);
        var p1 = PimKernelBinder.Bind(kernel, 1, b);
        int hp = (int)p0[0].K, f = (int)p0[0].N, fp = (int)p1[0].K, h = (int)p1[0].N;

        var rng = new Random(5);
        var gate = RandomHalves(rng, f * hp, 0.1);
        var up = RandomHalves(rng, f * hp, 0.1);
        var down = RandomHalves(rng, h * fp, 0.1);
        var x = RandomHalves(rng, m * hp, 1);
        var dram = new byte[p1[0].WeightAddr + 2L * h * fp];
        PimWeightLayout.Pack(gate, hp, f, cfg.KTileMax, dram, p0[0].WeightAddr);
        PimWeightLayout.Pack(up, hp, f, cfg.KTileMax, dram, p0[1].WeightAddr);
        PimWeightLayout.Pack(down, fp, h, cfg.KTileMax, dram, p1[0].WeightAddr);

        var sbuf = new byte[PimKernelBinder.StackBufferBytes(p0.Concat(p1))];
        Put(sbuf, p0[0].InputAddr, x);
        var run0 = await PimSimulator.RunAsync(cfg, new PimJob(p0, dram, sbuf), new PimRunOptions());
        Assert.That(run0.IllegalInstruction, Is.False);
        var g = GemmGolden.Run(gate, x, m, hp, f, cfg.Lanes);
        var u = GemmGolden.Run(up, x, m, hp, f, cfg.Lanes);
        var s = g.Select(SoftmaxGolden.Silu).ToArray();
        Assert.That(Words(run0.StackBuffer, p0[0].OutputAddr, m * f), Is.EqualTo(g));
        Assert.That(Words(run0.StackBuffer, p0[1].OutputAddr, m * f), Is.EqualTo(u));
        Assert.That(Halves(run0.StackBuffer, p0[2].OutputAddr, m * f), Is.EqualTo(s));

        // The host step between the programs: A = SiLU(G)·U in FP32, binary16 [m][fp] at the down GEMM's input.
        var act = new ushort[m * fp];
        for (int t = 0; t < m; t++)
            for (int j = 0; j < f; j++)
                act[t * fp + j] = BitConverter.HalfToUInt16Bits((Half)((float)BitConverter.UInt16BitsToHalf(s[t * f + j]) * BitConverter.UInt32BitsToSingle(u[t * f + j])));
        var sbuf1 = run0.StackBuffer;
        Put(sbuf1, p1[0].InputAddr, act);
        var run1 = await PimSimulator.RunAsync(cfg, new PimJob(p1, dram, sbuf1), new PimRunOptions());
        Assert.That(run1.IllegalInstruction, Is.False);
        Assert.That(Words(run1.StackBuffer, p1[0].OutputAddr, m * h), Is.EqualTo(GemmGolden.Run(down, act, m, fp, h, cfg.Lanes)));
    }
}
