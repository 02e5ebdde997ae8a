using CoDesign.Machine.Decisions;
using CoDesign.Machine.Stages;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// What the compiled Program decides about execution on one Duplex device, in the form the engine uses. Every
/// decision is the machine model's <see cref="StageDecisions"/>, the same one the analytic backend and
/// `codesign analyze` call: where each operator runs for a stage's shape (the Program's placement policy), which of a
/// MoE layer's experts run on the PIM (the exact split under expert co-processing), and whether the attention phases
/// overlap.
/// </summary>
public sealed class DuplexPlan
{
    public bool CoExperts => Decisions.CoExperts;
    public bool CoAttention => Decisions.CoAttention;
    public required string Source { get; init; }
    /// <summary>The Program's Logic-PIM kernels (pim.proto), which a PIM backend that executes instruction streams runs.</summary>
    public PimKernels? PimKernels => Program.PimKernels;
    /// <summary>The compiled Program whose decisions the engine follows.</summary>
    public required Program Program { get; init; }
    public required StageDecisions Decisions { get; init; }

    /// <summary>
    /// Where each placed operator runs in a stage of this shape: each operator template of the layer's shape is
    /// costed at the stage's features and placed by <see cref="StageDecisions.Place"/> (min-time: the faster
    /// processor for these counts, so it can flip with tokens and context; paper: the §3 rule). The engine runs
    /// attention (scores, softmax, context) as one operator per phase, so it goes where the phase's score operator
    /// goes, as the decision layer fuses the softmax with it. An operator absent from the stage (e.g. prefill
    /// attention in a decode-only stage) stays on the xPU; it does not run.
    /// </summary>
    public StagePlacement Place(StageShape shape, int layers)
    {
        var onPim = new bool[layers][];
        var x = shape.Features;
        bool decodeOnly = shape.IsDecodeOnly;
        bool OnPim(OpTemplate op)
        {
            var c = AffineEval.Counts(op, x);
            if (c.Flops <= 0 && c.Bytes <= 0) return false;
            return Decisions.Place(op, c, decodeOnly).OnPim;
        }
        foreach (var kind in Program.LayerKinds)
        {
            var row = new bool[StagePlacement.Count];
            foreach (var op in kind.Ops)
                if (Placed(op) is { } slot) row[slot] = OnPim(op);
            foreach (var l in kind.Layers)
                if (l < layers) onPim[l] = row;
        }
        for (int l = 0; l < layers; l++)
            if (onPim[l] is null) throw new InputException($"the program has no layer shape for decoder layer {l} (recompile it for this model)");
        var head = Program.HeadOps.FirstOrDefault(o => o.Kind == OpKind.LmHead);
        return new StagePlacement(onPim, head is not null && OnPim(head));
    }

    /// <summary>The <see cref="StagePlacement"/> slot a Program operator template decides, or null for one the engine
    /// places itself. A phase's attention goes where its score operator goes (the softmax and context follow it).</summary>
    public static int? Placed(OpTemplate op) => op.Kind switch
    {
        OpKind.QkvProjection or OpKind.OutputProjection or OpKind.Ffn or OpKind.SharedExpert => StagePlacement.Slot(op.Kind),
        OpKind.AttentionScore when op.Phase is OpPhase.Decode or OpPhase.Prefill => StagePlacement.Slot(OpKind.Attention, op.Phase),
        _ => null,
    };

    /// <summary>Which of a MoE layer's experts run on the PIM, given the tokens routed to each (<see cref="StageDecisions.ExpertsOnPim"/>).</summary>
    public bool[] ExpertsOnPim(int[] tokens, bool decodeOnly) => Decisions.ExpertsOnPim(tokens, Program.ExpertSpace, decodeOnly);

    /// <summary>The plan a compiled Program implies (one device: the tensor runtime runs a single replica).</summary>
    public static DuplexPlan FromProgram(Program p)
    {
        if (p.System.Devices > 1)
            throw new InputException($"the tensor runtime runs one device; the program was compiled for {p.System.Devices}");
        if (p.Model.NumExperts > 0 && p.ExpertTable is null)
            throw new InputException("the program has no expert latency table (compile it again)");
        var decisions = new StageDecisions(p);
        if (p.ExpertTable is { } t && t.Processors.Count > 0)
            foreach (var proc in decisions.Device.Processors)
                if (!t.Processors.Contains(proc.Name))
                    throw new InputException($"the program's expert table has no row for processor '{proc.Name}'");
        return new DuplexPlan
        {
            Program = p,
            Decisions = decisions,
            Source = $"program for {p.Hardware.Name} (placement {(p.System.Placement == PlacementPolicy.MinTime ? "min-time" : p.System.Placement.ToString().ToLowerInvariant())}, co-processing " +
                $"{p.System.CoProcessing.ToString().ToLowerInvariant()}, {p.BankBundleSpaces} bank-bundle spaces)",
        };
    }
}
