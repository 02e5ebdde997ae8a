using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Studies;

/// <summary>
/// The evaluation grid of Yun et al., "Duplex", MICRO 2024 (docs/reference/duplex-spec.md §5) [T]:
/// Mixtral, OPT and Llama3 on 1 node x 4 devices, GLaM on 1 x 8, Grok-1 on 2 x 8; batch 32/64/128 x
/// (L_in, L_out) in {(256,256), (1024,1024), (4096,4096)} (GLaM 512, 1024, 2048); systems GPU, 2xGPU (twice the
/// devices), Duplex, Duplex+PE (co-processing), Duplex+PE+ET (+ tensor-parallel MoE, MoE models only), each
/// normalised to GPU; the PIM-placement study (Bank-PIM, BankGroup-PIM, Logic-PIM) for Llama3 and OPT at batch 32/64;
/// and the load study (Mixtral, (4096, 512), Poisson arrivals at 4-16 requests/s, at most 128 running).
/// Every point is served as duplex-spec §4 says: a closed loop that keeps the batch full (open loop for the load study),
/// Gaussian lengths around the nominal pair, and throughput, latency and energy taken over the steady state only
/// (runtime/CoDesign.Runtime/Serving/SteadyWindow.cs).
/// </summary>
public static class DuplexPaperStudy
{
    public const string Name = "duplex-paper";
    public static readonly string[] Names = [Name, ServingTechniquesStudy.Name];

    /// <summary>
    /// Requests simulated per point, as a multiple of the batch: the first batch is the warm-up, the last the drain,
    /// and about one batch's worth of replacements arrive in the steady state between them. Our choice, to keep the
    /// study within a minute on two cores; docs/collectives-and-workload.md records how stable p99 is against 8 x batch.
    /// </summary>
    public const int RequestsPerBatch = 3;

    /// <summary>
    /// Standard deviation of the Gaussian lengths as a fraction of the nominal (duplex-spec §4: Gaussian, σ not
    /// published). Our choice: 10 % keeps 99.7 % of lengths within ±30 % of nominal, so the published (L_in, L_out)
    /// still names the workload, while requests of one wave finish over about a tenth of their life and the
    /// closed loop desynchronises into the steady mix of decode-only and mixed stages.
    /// </summary>
    public const double LengthStd = 0.1;

    /// <summary>The load study (duplex-spec §4): Mixtral, (4096, 512), at most 128 running, Poisson at these rates.</summary>
    public static readonly double[] LoadQps = [4, 6, 8, 10, 12, 14, 16];
    public const int LoadRequests = 384;

    const ulong Seed = 1;

    static readonly (string Model, long Devices, long[] Lengths)[] Models =
    [
        ("mixtral-8x7b", 4, [256, 1024, 4096]),
        // OPT's positions end at 2048: the paper evaluates it at 256/512/1024.
        ("opt-66b", 4, [256, 512, 1024]),
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
                // Plain Duplex is the static rule of duplex-spec §3, one processor at a time.
                Sys("Duplex", ("hardware", "duplex"), ("co_processing", "none"), ("placement", "paper")),
                Sys("Duplex+PE", ("hardware", "duplex"), ("co_processing", "both")),
            };
            // +ET changes how MoE layers are split; a dense model has none, so the variant would repeat Duplex+PE.
            if (moe) systems.Add(Sys("Duplex+PE+ET", ("hardware", "duplex"), ("co_processing", "both"), ("moe_parallelism", "tp")));
            groups.Add(Group(model, model, devices, [32, 64, 128], lengths, systems));
        }
        foreach (var model in new[] { "llama3-70b", "opt-66b" })
            groups.Add(Group($"pim-{model}", model, 4, [32, 64], model == "opt-66b" ? [256, 512, 1024] : [256, 1024, 4096],
            [
                Sys("GPU", ("hardware", "h100")),
                // The paper's Bank-PIM has no co-processing.
                Sys("Bank-PIM", ("hardware", "bank-pim"), ("co_processing", "none")),
                Sys("BankGroup-PIM", ("hardware", "bankgroup-pim"), ("co_processing", "both")),
                Sys("Logic-PIM (Duplex)", ("hardware", "duplex"), ("co_processing", "both")),
            ]));
        groups.Add(LoadGroup());
        return new SweepSpec(Name, groups);
    }

    /// <summary>The QPS sweep: open loop, Poisson arrivals; "batch" caps the running requests (PointSettings).</summary>
    static SweepGroup LoadGroup() =>
        SweepFile.Build("qps-mixtral-8x7b", zip: false,
            new Dictionary<string, object>
            {
                ["model"] = "mixtral-8x7b",
                ["devices"] = 4L,
                ["seed"] = (long)Seed,
                ["batch"] = 128L,
                ["requests"] = (long)LoadRequests,
                ["input_len"] = 4096L,
                ["output_len"] = 512L,
                ["length_std"] = LengthStd,
            },
            [
                new Axis("qps", LoadQps.Select(q => new AxisValue(q.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    new Dictionary<string, object> { ["qps"] = q })).ToList()),
                new Axis("system",
                [
                    Sys("GPU", ("hardware", "h100")),
                    Sys("Duplex", ("hardware", "duplex"), ("co_processing", "none"), ("placement", "paper")),
                    Sys("Duplex+PE", ("hardware", "duplex"), ("co_processing", "both")),
                ]),
            ],
            new Dictionary<string, string> { ["system"] = "GPU" }, $"study {Name}");

    static SweepGroup Group(string name, string model, long devices, long[] batches, long[] lengths, List<AxisValue> systems) =>
        SweepFile.Build(name, zip: false,
            new Dictionary<string, object> { ["model"] = model, ["devices"] = devices, ["seed"] = (long)Seed, ["length_std"] = LengthStd },
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
