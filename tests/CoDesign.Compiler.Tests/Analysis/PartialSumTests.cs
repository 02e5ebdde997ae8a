using CoDesign.Compiler.Graph;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;
using static CoDesign.Compiler.Tests.Analysis.Stages;

namespace CoDesign.Compiler.Tests.Analysis;

/// <summary>The xPU's reduction of Logic-PIM experts' per-stack partial sums (docs/reference/duplex-spec.md §3).</summary>
public class PartialSumTests
{
    [Test]
    public void Every_moe_layer_has_the_reduction_after_its_experts()
    {
        var p = Compile("mixtral-8x7b", 4);
        var ops = p.LayerKinds.Single(k => k.Ops.Any(o => o.Kind == OpKind.Expert)).Ops.ToList();
        int experts = ops.FindIndex(o => o.Kind == OpKind.Expert);
        int reduce = ops.FindIndex(o => o.Kind == OpKind.PartialSumReduction);
        Assert.That(reduce, Is.EqualTo(experts + 1));
        Assert.That(ops[reduce].Name, Is.EqualTo(OpNames.PartialSums));
    }

    [Test]
    public void Experts_on_the_pim_cost_a_reduction_on_the_xpu_and_on_a_gpu_none()
    {
        // Paper rule, decode-only stage: the experts run on Logic-PIM, so their 5 stacks' partials are added.
        var duplex = Decode(Compile("mixtral-8x7b", 4, HardwarePresets.Duplex(), PlacementPolicy.Paper), 64, 1024);
        Assert.That(Row(duplex, OpNames.Experts).Processor, Is.EqualTo("logic_pim"));
        var r = Row(duplex, OpNames.PartialSums);
        Assert.That(r.Processor, Is.EqualTo("xpu"));
        Assert.That(r.TimeS, Is.GreaterThan(0));
        // 64 tokens x top-2 over 8 experts, 2 local experts: 32 pairs; hidden 4096 fp16; 5 stacks.
        Assert.That(r.Counts.ActivationBytes, Is.EqualTo(32.0 * 4096 * 2 * 6).Within(1e-9).Percent);
        Assert.That(r.Counts.Flops, Is.EqualTo(32.0 * 4096 * 4).Within(1e-9).Percent);
        var gpu = Decode(Compile("mixtral-8x7b", 4, HardwarePresets.H100()), 64, 1024);
        Assert.That(TryRow(gpu, OpNames.PartialSums), Is.Null);
    }
}
