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
}
