using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Studies;

/// <summary>
/// The evaluation grid of Yun et al., "Duplex", MICRO 2024 (docs/reference/duplex-spec.md §5) [T]:
/// Mixtral, OPT and Llama3 on 1 node x 4 devices, GLaM on 1 x 8, Grok-1 on 2 x 8; batch 32/64/128 x
/// (L_in, L_out) in {(256,256), (1024,1024), (4096,4096)} (GLaM 512, 1024, 2048); systems GPU, 2xGPU (twice the
/// devices), Duplex, Duplex+PE (co-processing), Duplex+PE+ET (+ tensor-parallel MoE, MoE models only), each
/// normalised to GPU; and the PIM-placement study (Bank-PIM, BankGroup-PIM, Logic-PIM) for Llama3 and OPT at batch 32/64.
/// </summary>
public static class DuplexPaperStudy
{
    public const string Name = "duplex-paper";
    public static readonly string[] Names = [Name, ServingTechniquesStudy.Name];

    /// <summary>
    /// Requests simulated per point, as a multiple of the batch: one full batch of requests from prefill to their
    /// last token, which keeps the whole study well under a minute on two cores (docs/benchmarks.md). With the
    /// study's fixed lengths this wave is already the steady state for throughput, TBT and energy: for Mixtral on
    /// 4 devices, batch 64, 1024/1024, they are within 0.5 % of the simulator's 8 x batch default on both h100 and
    /// duplex (measured 2026-11-27). TTFT is not: every request of the wave waits for the whole batch's prefill
    /// (p50 309 ms against 61 ms in steady state), so for TTFT rerun points with a larger "requests".
    /// </summary>
    public const int RequestsPerBatch = 1;

    const ulong Seed = 1;

    static readonly (string Model, long Devices, long[] Lengths)[] Models =
    [
        ("mixtral-8x7b", 4, [256, 1024, 4096]),
        ("opt-66b", 4, [256, 1024, 4096]),
        ("llama3-70b", 4, [256, 1024, 4096]),
        ("glam-143b", 8, [512, 1024, 2048]),
        ("grok-1", 16, [256, 1024, 4096]),
    ];

    public static SweepSpec Build()
    {
        var groups = new List<SweepGroup>();
        foreach (var (model, devices, lengths) in Models)
        {
            bool moe = model is not ("opt-66b" or "llama3-70b");
            var systems = new List<AxisValue>
            {
                Sys("GPU", ("hardware", "h100")),
                Sys("2xGPU", ("hardware", "h100"), ("devices_multiple", 2L)),
                Sys("Duplex", ("hardware", "duplex"), ("co_processing", "none")),
                Sys("Duplex+PE", ("hardware", "duplex"), ("co_processing", "both")),
            };
            // +ET changes how MoE layers are split; a dense model has none, so the variant would repeat Duplex+PE.
            if (moe) systems.Add(Sys("Duplex+PE+ET", ("hardware", "duplex"), ("co_processing", "both"), ("moe_parallelism", "tp")));
            groups.Add(Group(model, model, devices, [32, 64, 128], lengths, systems));
        }
        foreach (var model in new[] { "llama3-70b", "opt-66b" })
            groups.Add(Group($"pim-{model}", model, 4, [32, 64], [256, 1024, 4096],
            [
                Sys("GPU", ("hardware", "h100")),
                Sys("Bank-PIM", ("hardware", "bank-pim"), ("co_processing", "both")),
                Sys("BankGroup-PIM", ("hardware", "bankgroup-pim"), ("co_processing", "both")),
                Sys("Logic-PIM (Duplex)", ("hardware", "duplex"), ("co_processing", "both")),
            ]));
        return new SweepSpec(Name, groups);
    }

    static SweepGroup Group(string name, string model, long devices, long[] batches, long[] lengths, List<AxisValue> systems) =>
        SweepFile.Build(name, zip: false,
            new Dictionary<string, object> { ["model"] = model, ["devices"] = devices, ["seed"] = (long)Seed },
            [
                new Axis("batch", batches.Select(b => new AxisValue(b.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    new Dictionary<string, object> { ["batch"] = b, ["requests"] = b * RequestsPerBatch })).ToList()),
                new Axis("lengths", lengths.Select(l => new AxisValue($"{l}/{l}",
                    new Dictionary<string, object> { ["input_len"] = l, ["output_len"] = l })).ToList()),
                new Axis("system", systems),
            ],
            new Dictionary<string, string> { ["system"] = "GPU" }, $"study {Name}");

    static AxisValue Sys(string label, params (string Key, object Value)[] settings)
    {
        var d = settings.ToDictionary(s => s.Key, s => s.Value);
        d["system"] = label;
        return new AxisValue(label, d);
    }

    public static SweepSpec Get(string name) => name.ToLowerInvariant() switch
    {
        Name => Build(),
        ServingTechniquesStudy.Name => ServingTechniquesStudy.Build(),
        _ => throw new Schema.InputException($"--study: unknown study '{name}' (studies: {string.Join(", ", Names)})"),
    };
}
