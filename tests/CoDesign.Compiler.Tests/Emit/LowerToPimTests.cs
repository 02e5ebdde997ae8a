using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Tests.Emit;

/// <summary>The Logic-PIM kernels a Program carries for the operators its placement may put on PIM.</summary>
public class LowerToPimTests
{
    [Test]
    public void SharedExpert_GetsItsOwnGatedFfnKernelOfTheSummedWidth()
    {
        var m = HfConfigReader.Load(TestConfigs.Path_("qwen1.5-moe-a2.7b.json"));
        var p = ProgramCompiler.Compile(m, HardwarePresets.Duplex(), new SystemOptions(1));
        var shared = p.PimKernels.Kernels.Where(k => k.Op == "shared_expert").ToList();
        Assert.That(shared, Has.Count.EqualTo(p.LayerKinds.Count(k => k.Ops.Any(o => o.Kind == OpKind.SharedExpert))).And.Count.GreaterThan(0));
        var k = shared[0];
        // gate [f][h] and up [f][h] with f = 1 x 5632 (Qwen1.5-MoE's shared_expert_intermediate_size), then down [h][f].
        Assert.That((k.Expert, k.Programs[0].Instructions[0].N, k.Programs[0].Instructions[0].K), Is.EqualTo((-1, 5632u, 2048u)));
        Assert.That((k.Programs[1].Instructions[0].N, k.Programs[1].Instructions[0].K), Is.EqualTo((2048u, 5632u)));
        // Its weights follow the routed experts' in space 0: the memory plan never overlaps two kernels.
        ulong space0End = p.PimKernels.Kernels.Where(x => x.Op == "experts" && x.Space == 0 && x.LayerKind == k.LayerKind)
            .Max(x => x.Programs[0].Instructions[0].WeightAddr + x.WeightBytes);
        Assert.That((ulong)k.Programs[0].Instructions[0].WeightAddr, Is.EqualTo(space0End));
        // Mixtral-style models have none.
        var tiny = ProgramCompiler.Compile(ModelLoader.Resolve("tiny-moe"), HardwarePresets.Duplex(), new SystemOptions(1));
        Assert.That(tiny.PimKernels.Kernels.Where(x => x.Op == "shared_expert"), Is.Empty);
    }
    [Test]
    public void Projections_AndLmHead_GetOneGemmKernelEach_AfterTheFfnWeights()
    {
        // Llama 3 70B (GQA: 64 query heads, 8 KV heads of 128; hidden 8192) on two devices: tensor-parallel halves.
        var m = ModelLoader.Resolve("llama3-70b");
        var p = ProgramCompiler.Compile(m, HardwarePresets.Duplex(), new SystemOptions(2));
        Assert.That(p.System.TensorParallel, Is.EqualTo(2u));
        PimInstruction Only(string name) => p.PimKernels.Kernels.Single(k => k.Name == name).Programs.Single().Instructions.Single();
        var q = Only("dense.qkv_projection.q");
        var kk = Only("dense.qkv_projection.k");
        var o = Only("dense.output_projection");
        var head = Only("head.lm_head");
        Assert.Multiple(() =>
        {
            Assert.That((q.K, q.N, q.MDim), Is.EqualTo((8192u, 4096u, PimDim.Tokens)));
            Assert.That((kk.K, kk.N), Is.EqualTo((8192u, 512u)));
            Assert.That((o.K, o.N), Is.EqualTo((4096u, 8192u)));
            Assert.That((head.K, head.N), Is.EqualTo((8192u, 128256u / 2)));
            // The layer's weights do not overlap: the FFN's first, then q, k, v, o, each right after the previous.
            var layer = p.PimKernels.Kernels.Where(k => k.LayerKind == "dense" && k.Space == 0 && k.WeightBytes > 0)
                .Select(k => (Start: (ulong)k.Programs[0].Instructions[0].WeightAddr, End: k.Programs[0].Instructions[0].WeightAddr + k.WeightBytes))
                .OrderBy(r => r.Start).ToList();
            Assert.That(layer, Has.Count.EqualTo(5));
            for (int i = 1; i < layer.Count; i++) Assert.That(layer[i].Start, Is.EqualTo(layer[i - 1].End));
            // The output row of each token follows the inputs of all tokens: Y at stride 2 * K bytes per token.
            Assert.That((q.InputAddr, q.InputAddrStride, q.OutputAddr, q.OutputAddrStride), Is.EqualTo((0u, 0u, 0u, 2u * 8192)));
        });
    }
}
