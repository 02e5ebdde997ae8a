using CoDesign.Machine;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>
/// What the compiled Program decides about execution on one Duplex device, in the form the engine uses:
/// which co-processing is on, how long one expert takes with t tokens on each processor (the Program's offline
/// expert-latency table, duplex-spec.md §3) and which bank-bundle space each expert's weights live in
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
            Source = $"program for {p.Hardware.Name} (co-processing {co}, {p.BankBundleSpaces} bank-bundle spaces)",
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
            Source = $"roofline of {device.Hardware.Name}",
        };
    }
}
