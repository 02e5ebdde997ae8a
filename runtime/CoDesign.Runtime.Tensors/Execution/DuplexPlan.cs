using CoDesign.Machine;
using CoDesign.Machine.Stages;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// What the compiled Program decides about execution on one Duplex device, in the form the engine uses:
/// which co-processing is on, where each operator runs for a given stage (the Program's placement policy,
/// evaluated by the machine model's <see cref="ProgramCost"/> at the stage's shape, as the analytic backend and
/// `codesign analyze` do), how long one expert takes with t tokens on each processor (the Program's offline
/// expert-latency table, docs/reference/duplex-spec.md §3) and which bank-bundle space each expert's weights live in
/// (experts sharing a space must run on the same processor).
/// </summary>
public sealed class DuplexPlan
{
    public bool CoExperts { get; init; }
    public bool CoAttention { get; init; }
    /// <summary>[processor][t]: seconds for one expert with t tokens; processor 0 = xPU, 1 = PIM.</summary>
    public required double[][] ExpertSeconds { get; init; }
    /// <summary>Bank-bundle space of each expert; empty = every expert in its own space.</summary>
    public int[] ExpertSpace { get; init; } = [];
    public required string Source { get; init; }
    /// <summary>The Program's Logic-PIM kernels (pim.proto), which a PIM backend that executes instruction streams runs; null without a Program.</summary>
    public PimKernels? PimKernels { get; init; }
    /// <summary>
    /// The compiled Program whose placement the engine follows; null (a roofline plan) applies the docs/reference/duplex-spec.md
    /// §3 rule: decode attention on PIM, experts on PIM in decode-only stages, everything else on the xPU.
    /// </summary>
    public Program? Program { get; init; }
    /// <summary>The placement policy in force: the Program's, or Paper (the §3 rule) without one.</summary>
    public PlacementPolicy Placement => Program?.System.Placement ?? PlacementPolicy.Paper;

    ProgramCost? _cost;
    ProgramCost? Cost => Program is null ? null : _cost ??= new ProgramCost(Program);

    /// <summary>
    /// Where each placed operator runs in a stage of this shape. With a Program, each operator template of the
    /// layer's shape is costed at the stage's features and placed by <see cref="ProgramCost.Choose"/> (min-time:
    /// the faster processor for these counts, so it can flip with tokens and context; paper: the §3 rule). The
    /// engine runs attention (scores, softmax, context) as one operator per phase, so it goes where the phase's
    /// score operator goes, as ProgramCost fuses the softmax with it. An operator absent from the stage (e.g.
    /// prefill attention in a decode-only stage) stays on the xPU; it does not run.
    /// </summary>
    public StagePlacement Place(StageShape shape, int layers)
    {
        var onPim = new bool[layers][];
        var cost = Cost;
        if (cost is null)
        {
            for (int l = 0; l < layers; l++)
            {
                onPim[l] = new bool[StagePlacement.Count];
                onPim[l][(int)PlacedOp.DecodeAttention] = true;
            }
            return new StagePlacement(onPim, false);
        }
        var x = shape.Features;
        bool decodeOnly = shape.IsDecodeOnly;
        bool OnPim(OpTemplate op)
        {
            var c = AffineEval.Counts(op, x);
            if (c.Flops <= 0 && c.Bytes <= 0) return false;
            var chosen = cost.Choose(op, c, decodeOnly);
            return chosen is not null && ReferenceEquals(chosen, cost.Device.Pim);
        }
        foreach (var kind in Program!.LayerKinds)
        {
            var row = new bool[StagePlacement.Count];
            foreach (var op in kind.Ops)
                if (Placed(op) is { } placed) row[(int)placed] = OnPim(op);
            foreach (var l in kind.Layers)
                if (l < layers) onPim[l] = row;
        }
        for (int l = 0; l < layers; l++)
            if (onPim[l] is null) throw new InputException($"the program has no layer shape for decoder layer {l} (recompile it for this model)");
        var head = Program.HeadOps.FirstOrDefault(o => o.Kind == OpKind.LmHead);
        return new StagePlacement(onPim, head is not null && OnPim(head));
    }

    /// <summary>The engine operator a Program operator template decides, or null for one the engine places itself.</summary>
    static PlacedOp? Placed(OpTemplate op) => op.Kind switch
    {
        OpKind.QkvProjection => PlacedOp.QkvProj,
        OpKind.AttentionScore when op.Phase == OpPhase.Decode => PlacedOp.DecodeAttention,
        OpKind.AttentionScore when op.Phase == OpPhase.Prefill => PlacedOp.PrefillAttention,
        OpKind.OutputProjection => PlacedOp.OutProj,
        OpKind.Ffn => PlacedOp.DenseFfn,
        OpKind.SharedExpert => PlacedOp.SharedExpert,
        _ => null,
    };

    /// <summary>
    /// Plain placement of a MoE layer's routed experts (no expert co-processing): all on one processor. Paper
    /// (and a roofline plan): PIM in decode-only stages, xPU when the stage has prefill (§3). Min-time: the
    /// processor on which the experts with these token counts take less time by the expert-latency table, as
    /// the analytic backend decides it (AnalyticBackend.ChooseExpertMask).
    /// </summary>
    public bool ExpertsOnPim(IReadOnlyList<int> tokens, bool decodeOnly)
    {
        if (Cost is { Device.Pim: null }) return false;
        if (Placement != PlacementPolicy.MinTime) return decodeOnly;
        double xpu = 0, pim = 0;
        foreach (var t in tokens)
            if (t > 0) { xpu += ExpertCost(0, t); pim += ExpertCost(1, t); }
        return pim < xpu;
    }

    /// <summary>Seconds for one expert with <paramref name="tokens"/> tokens; beyond the table, linear in the last step.</summary>
    public double ExpertCost(int processor, int tokens)
    {
        var row = ExpertSeconds[processor];
        if (tokens < row.Length) return row[tokens];
        int m = row.Length - 1;
        return row[m] + (tokens - m) * (row[m] - row[m - 1]);
    }

    /// <summary>The plan a compiled Program implies (one device: the tensor runtime runs a single replica).</summary>
    public static DuplexPlan FromProgram(Program p)
    {
        if (p.System.Devices > 1)
            throw new InputException($"the tensor runtime runs one device; the program was compiled for {p.System.Devices} (compile with --devices 1)");
        var device = new DeviceModel(p.Hardware);
        var co = p.System.CoProcessing;
        bool pim = device.Pim is not null;
        double[][] seconds = [[0, 0], [0, 0]];
        if (p.Model.NumExperts > 0)
        {
            var t = p.ExpertTable ?? throw new InputException("the program has no expert latency table (recompile it)");
            double[] Row(string name)
            {
                int i = t.Processors.IndexOf(name);
                if (i < 0) throw new InputException($"the program's expert table has no row for processor '{name}'");
                return t.Seconds.Skip(i * ((int)t.MaxTokens + 1)).Take((int)t.MaxTokens + 1).ToArray();
            }
            seconds = [Row(device.Host.Name), pim ? Row(device.Pim!.Name) : Row(device.Host.Name)];
        }
        return new DuplexPlan
        {
            CoExperts = pim && co is CoProcessing.Experts or CoProcessing.Both,
            CoAttention = pim && co is CoProcessing.Attention or CoProcessing.Both,
            ExpertSeconds = seconds,
            ExpertSpace = [.. p.ExpertSpace.Select(s => (int)s)],
            PimKernels = p.PimKernels,
            Program = p,
            Source = $"program for {p.Hardware.Name} (placement {p.System.Placement.Name()}, co-processing {co}, {p.BankBundleSpaces} bank-bundle spaces)",
        };
    }

    /// <summary>
    /// A plan without a compiled Program: expert times from the machine model's roofline for the model's expert
    /// shape, every expert in its own space. For tests and tools that do not run the compiler.
    /// </summary>
    public static DuplexPlan Roofline(ModelConfig model, DeviceModel device, bool coExperts, bool coAttention, int maxTokens = 256)
    {
        double h = model.HiddenSize, f = Math.Max(1, model.ExpertIntermediateSize), bytes = model.WeightType == DataType.Unspecified ? 2 : model.WeightType.SizeBytes();
        double[] Row(ProcessorCost p) => Enumerable.Range(0, maxTokens + 1).Select(t => t == 0 ? 0
            : p.Seconds(new OpCounts(6.0 * h * f * t, 3.0 * h * f * bytes, t * 2.0 * (2 * h + 2 * f) * 2, 0), DataType.Fp16)).ToArray();
        return new DuplexPlan
        {
            CoExperts = coExperts && device.Pim is not null,
            CoAttention = coAttention && device.Pim is not null,
            ExpertSeconds = [Row(device.Host), Row(device.Pim ?? device.Host)],
            Source = $"roofline of {device.Hardware.Name} (placement: docs/reference/duplex-spec.md §3)",
        };
    }
}
