using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Tests.Planning;

/// <summary>Parallelism of the Duplex evaluation (docs/reference/duplex-spec.md §5): TP within a node, DP across, MoE expert-parallel.</summary>
public class SystemPlannerTests
{
    static SystemConfig Plan(string model, int devices, MoeParallelism moe = MoeParallelism.Ep, string hw = "duplex") =>
        SystemPlanner.Plan(ModelLoader.Resolve(model), HardwarePresets.Get(hw), new SystemOptions(devices, moe));

    [Test]
    public void Mixtral_FourDevices_OneNodeTensorParallelTwoExpertsEach()
    {
        var s = Plan("mixtral-8x7b", 4);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((s.Nodes, s.DevicesPerNode, s.TensorParallel, s.DataParallel), Is.EqualTo((1u, 4u, 4u, 1u)));
            Assert.That(s.ExpertParallel, Is.EqualTo(4));
            Assert.That(s.ExpertTensorParallel, Is.EqualTo(1));
            Assert.That(s.CoProcessing, Is.EqualTo(CoProcessing.Both), "PIM hardware: co-processing on by default");
        }
    }

    [Test]
    public void Grok_SixteenDevices_TwoNodesAndEachExpertCutInTwo()
    {
        // 8 experts over 16 devices: one expert per device pair, tensor-parallel over the pair.
        var s = Plan("grok-1", 16);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((s.Nodes, s.DevicesPerNode, s.TensorParallel, s.DataParallel), Is.EqualTo((2u, 8u, 8u, 2u)));
            Assert.That(s.ExpertParallel, Is.EqualTo(8));
            Assert.That(s.ExpertTensorParallel, Is.EqualTo(2));
        }
    }

    [Test]
    public void PlusEt_TensorParallelMoeWithinANode()
    {
        var s = Plan("grok-1", 16, MoeParallelism.Tp);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.ExpertParallel, Is.EqualTo(2), "experts spread over the 2 nodes");
            Assert.That(s.ExpertTensorParallel, Is.EqualTo(8), "every device of a node holds a slice of each of its experts");
        }
    }

    [Test]
    public void GpuHardware_HasNoCoProcessing()
    {
        Assert.That(Plan("llama3-70b", 4, hw: "h100").CoProcessing, Is.EqualTo(CoProcessing.None));
    }

    [TestCase(0, "devices must be at least 1")]
    [TestCase(-2, "devices must be at least 1")]
    [TestCase(12, "12 devices are not a multiple of the 8 experts")]
    [TestCase(9, "cannot be split into 2 equal nodes")]
    public void ImpossibleSystem_IsAnInputError(int devices, string message)
    {
        var e = Assert.Throws<InputException>(() => Plan("mixtral-8x7b", devices));
        Assert.That(e.Message, Does.Contain(message));
        Assert.That(e.Message, Does.Not.Contain("--"), "the planner names the setting; the CLI spells it as a flag");
    }

    [Test]
    public void CoProcessingWithoutPim_IsAnInputError()
    {
        var e = Assert.Throws<InputException>(() => SystemPlanner.Plan(ModelLoader.Resolve("mixtral-8x7b"), HardwarePresets.H100(),
            new SystemOptions(4, CoProcessing: CoProcessing.Experts)));
        Assert.That(e.Message, Does.Contain("needs a PIM processor"));
    }
}
