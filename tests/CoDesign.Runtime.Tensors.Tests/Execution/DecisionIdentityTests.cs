using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Planning;
using CoDesign.Runtime.Backends;
using CoDesign.Runtime.Serving;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Tests.Execution;

/// <summary>
/// One plan, two executions: every stage the tensor engine ('run') executes is costed again by the analytic backend
/// ('simulate') at the same shape and with the same tokens per expert, and both must have put every operator on the
/// same processor and the same experts on each side.
/// </summary>
public class DecisionIdentityTests
{
    /// <summary>Replays the tokens per expert the engine's router produced, layer by layer.</summary>
    sealed class Replay(IReadOnlyDictionary<int, int[]> byLayer) : IExpertTokens
    {
        public void Draw(int layer, long tokens, int k, Span<double> counts)
        {
            var t = byLayer[layer];
            Assert.That(t.Sum(), Is.EqualTo(tokens * k), $"layer {layer}: every token reaches k experts");
            for (int e = 0; e < counts.Length; e++) counts[e] = t[e];
        }
    }

    [TestCase(PlacementPolicy.MinTime, CoProcessing.Both)]
    [TestCase(PlacementPolicy.MinTime, CoProcessing.None)]
    [TestCase(PlacementPolicy.Paper, CoProcessing.Both)]
    [TestCase(PlacementPolicy.Paper, CoProcessing.None)]
    public void SimulateAndRun_DecideTheSameStageTheSameWay(PlacementPolicy placement, CoProcessing co)
    {
        var w = TestModels.TinyMoe;
        var program = ProgramCompiler.Compile(w.Config, HardwarePresets.Get("duplex"), new SystemOptions(CoProcessing: co, Placement: placement));
        var log = new DecisionLog();
        using var cpu = new CpuBackend();
        new InferenceEngine(w, cpu, cpu, new EngineOptions { MaxBatch = 2, Plan = DuplexPlan.FromProgram(program), Decisions = log })
            .Run(TestModels.Requests(w.Vocab, newTokens: 4));

        var analytic = new AnalyticBackend(program);
        string pim = analytic.PimName!;
        var placed = program.LayerKinds.SelectMany(k => k.Ops).Where(o => DuplexPlan.Placed(o) is not null).Select(o => o.Name).Distinct().ToList();
        int layers = (int)program.Model.NumLayers, compared = 0;
        var sides = new HashSet<bool>();
        Assert.That(log.Stages.Select(s => s.Shape.IsDecodeOnly).Distinct().Count(), Is.EqualTo(2), "mixed and decode-only stages both ran");
        foreach (var stage in log.Stages)
        {
            analytic.CostStage(stage.Shape, new Replay(stage.Experts.ToDictionary(e => e.Layer, e => e.Tokens)), new StageCost());
            for (int l = 0; l < layers; l++)
                foreach (var name in placed)
                {
                    var op = program.LayerKinds.Single(k => k.Layers.Contains((uint)l)).Ops.FirstOrDefault(o => o.Name == name);
                    if (op is null) continue;
                    var (kind, phase) = StagePlacement.Placed[DuplexPlan.Placed(op)!.Value];
                    bool engineOnPim = stage.Placement.OnPim(l, kind, phase);
                    Assert.That(engineOnPim, Is.EqualTo(analytic.ProcessorOf(l, name) == pim), $"layer {l} {name}, stage of {stage.Shape.Tokens} tokens");
                    sides.Add(engineOnPim);
                    compared++;
                }
            foreach (var e in stage.Experts)
            {
                Assert.That(e.OnPim, Is.EqualTo(analytic.ExpertsOnPim(e.Layer)), $"layer {e.Layer} experts, tokens {string.Join(',', e.Tokens)}");
                compared++;
            }
        }
        Assert.That(compared, Is.GreaterThan(layers * log.Stages.Count));
        if (placement == PlacementPolicy.Paper) Assert.That(sides, Is.EquivalentTo(new[] { true, false }), "the paper rule uses both processors");
    }
}
