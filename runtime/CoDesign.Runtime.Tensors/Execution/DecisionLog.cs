// SPDX-License-Identifier: MIT
// What the engine decided in each stage, kept so that tests can hold it against the analytic backend's decisions.
using CoDesign.Machine.Stages;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// Records each stage's shape and placement and, per MoE layer, the tokens each expert received and which experts
/// ran on the PIM. Optional (<see cref="EngineOptions.Decisions"/>); the engine writes it from one thread.
/// </summary>
public sealed class DecisionLog
{
    public sealed record ExpertDecision(int Layer, int[] Tokens, bool[] OnPim);

    public sealed class StageEntry(StageShape shape, StagePlacement placement)
    {
        public StageShape Shape { get; } = shape;
        public StagePlacement Placement { get; } = placement;
        public List<ExpertDecision> Experts { get; } = [];
    }

    public List<StageEntry> Stages { get; } = [];

    public void Stage(StageShape shape, StagePlacement placement) => Stages.Add(new StageEntry(shape.Clone(), placement));

    public void Experts(int layer, int[] tokens, bool[] onPim) => Stages[^1].Experts.Add(new ExpertDecision(layer, [.. tokens], [.. onPim]));
}
