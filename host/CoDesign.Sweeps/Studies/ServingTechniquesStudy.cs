using CoDesign.Sweeps.Spec;

namespace CoDesign.Sweeps.Studies;

/// <summary>
/// Does Logic-PIM still pay off when the fleet runs INT4, speculative decoding and prefix caching?
/// (docs/serving-techniques.md). Mixtral-8x7B on 4 devices and Qwen1.5-MoE-A2.7B on 1, on GPU, Duplex and
/// Bank-PIM, crossing FP16/INT4 weights (group 128), spec-k 0/2/4 (acceptance 0.7, a small dense draft on the
/// same devices) and prefix reuse off/on (a 768-token shared prefix in 4 groups); every point normalised to GPU.
/// </summary>
public static class ServingTechniquesStudy
{
    public const string Name = "serving-techniques";

    /// <summary>
    /// Our choices, not a published workload: batch 64, 1024-token prompts, 256 output tokens; 4 waves of the
    /// batch so a prefix cache that starts empty warms up (the first wave misses by construction).
    /// </summary>
    const long Batch = 64, InputLen = 1024, OutputLen = 256, Waves = 4, SharedPrefix = 768, PrefixGroups = 4;
    const double AcceptRate = 0.7;   // our choice: within the 0.6-0.8 range SmartSpec reports for its draft pairs

    static readonly (string Model, long Devices, string Draft)[] Models =
    [
        ("mixtral-8x7b", 4, "tinyllama-1.1b"),
        ("qwen1.5-moe-a2.7b", 1, "qwen1.5-0.5b"),
    ];

    public static SweepSpec Build()
    {
        var groups = new List<SweepGroup>();
        foreach (var (model, devices, draft) in Models)
            groups.Add(SweepFile.Build(model, zip: false,
                new Dictionary<string, object>
                {
                    ["model"] = model,
                    ["devices"] = devices,
                    ["seed"] = 1L,
                    ["batch"] = Batch,
                    ["requests"] = Batch * Waves,
                    ["input_len"] = InputLen,
                    ["output_len"] = OutputLen,
                    ["draft_model"] = draft,
                    ["spec_accept"] = AcceptRate,
                },
                [
                    new Axis("weights", [V("FP16", ("weight_type", "fp16")), V("INT4", ("weight_type", "int4"), ("group_size", 128L))]),
                    new Axis("spec", [V("k=0", ("spec_k", "0")), V("k=2", ("spec_k", "2")), V("k=4", ("spec_k", "4"))]),
                    new Axis("prefix", [V("no-prefix", ("shared_prefix", 0L)),
                        V("prefix", ("shared_prefix", SharedPrefix), ("prefix_groups", PrefixGroups))]),
                    new Axis("system",
                    [
                        V("GPU", ("system", "GPU"), ("hardware", "h100")),
                        V("Duplex", ("system", "Duplex"), ("hardware", "duplex"), ("co_processing", "both")),
                        V("Bank-PIM", ("system", "Bank-PIM"), ("hardware", "bank-pim"), ("co_processing", "both")),
                    ]),
                ],
                new Dictionary<string, string> { ["system"] = "GPU" }, $"study {Name}"));
        return new SweepSpec(Name, groups);
    }

    static AxisValue V(string label, params (string Key, object Value)[] settings) =>
        new(label, settings.ToDictionary(s => s.Key, s => s.Value));
}
