using System.CommandLine;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Runtime.Serving.Techniques;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;

namespace CoDesign.Cli.Techniques;

/// <summary>
/// The serving-technique options of <c>simulate</c>: speculative decoding (draft model, k, acceptance) and
/// KV reuse (shared prefixes, retrieval chunks, prefix cache). docs/serving-techniques.md says what each does.
/// </summary>
public sealed class TechniqueArgs
{
    public Option<string?> SpecKOption { get; } = new("--spec-k") { Description = "Speculative decoding: draft tokens verified per step, N or adaptive[:N] (SmartSpec-style k per stage; default off)" };
    public Option<string> SpecAccept { get; } = new("--spec-accept") { Description = "Acceptance rate of each draft token, or a comma-separated rate per position", DefaultValueFactory = _ => "0.7" };
    public Option<string?> DraftModel { get; } = new("--draft-model") { Description = "Draft model: a preset or config.json (required with --spec-k)" };
    public Option<string?> DraftHardware { get; } = new("--draft-hardware") { Description = "Run the draft on its own device of this hardware (default: on the target's devices, sharing their memory)" };
    public Option<int> SharedPrefix { get; } = new("--shared-prefix") { Description = "Tokens of shared prompt prefix (system prompt, few-shot) per group", DefaultValueFactory = _ => 0 };
    public Option<int> PrefixGroups { get; } = new("--prefix-groups") { Description = "Distinct shared prefixes; each request draws one uniformly", DefaultValueFactory = _ => 1 };
    public Option<int> Chunks { get; } = new("--chunks") { Description = "Retrieved chunks per prompt, drawn from a Zipf-popular pool", DefaultValueFactory = _ => 0 };
    public Option<int> ChunkTokens { get; } = new("--chunk-tokens") { Description = "Tokens per retrieved chunk", DefaultValueFactory = _ => 256 };
    public Option<int> ChunkPool { get; } = new("--chunk-pool") { Description = "Chunks in the retrieval pool", DefaultValueFactory = _ => 1000 };
    public Option<double> ChunkZipf { get; } = new("--chunk-zipf") { Description = "Zipf exponent of chunk popularity (0 = uniform)", DefaultValueFactory = _ => 1.0 };
    public Option<double> ChunkRecompute { get; } = new("--chunk-recompute") { Description = "Fraction of a cached chunk recomputed for position fix-ups", DefaultValueFactory = _ => 0.15 };
    public Option<double> CacheFraction { get; } = new("--prefix-cache-fraction") { Description = "Share of the KV budget the prefix cache may hold", DefaultValueFactory = _ => 0.25 };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { SpecKOption, SpecAccept, DraftModel, DraftHardware, SharedPrefix, PrefixGroups, Chunks, ChunkTokens, ChunkPool, ChunkZipf, ChunkRecompute, CacheFraction })
            cmd.Options.Add(o);
    }

    public SpeculationOptions? ResolveSpeculation(ParseResult p, SystemArgs sys)
    {
        var (k, adaptive) = SpecK.Parse(p.GetValue(SpecKOption));
        var (rate, profile) = SpecK.ParseAccept(p.GetValue(SpecAccept)!);
        if (k == 0) return null;
        var draftName = p.GetValue(DraftModel) ?? throw new InputException("--spec-k needs --draft-model (a preset or config.json)");
        var target = sys.ResolveModel(p);
        var draft = WeightQuantisation.WithGroupSize(
            ModelLoader.WithTypes(ModelLoader.Resolve(draftName), target.WeightType.ShortName(), null, null),
            target.HasQuantGroupSize ? (int)target.QuantGroupSize : null);
        var hwName = p.GetValue(DraftHardware);
        var hw = hwName is null ? sys.ResolveHardware(p) : HardwareFile.Resolve(hwName);
        var opts = new SpeculationOptions
        {
            K = k,
            Adaptive = adaptive,
            AcceptRate = rate,
            AcceptProfile = profile,
            Draft = ProgramCompiler.Compile(draft, hw, sys.ResolveSystem(p)),
            DraftOnOwnDevice = hwName is not null,
        };
        opts.Validate();
        return opts;
    }

    public PrefixOptions ResolvePrefix(ParseResult p)
    {
        var o = new PrefixOptions
        {
            SharedPrefix = p.GetValue(SharedPrefix),
            Groups = p.GetValue(PrefixGroups),
            ChunksPerPrompt = p.GetValue(Chunks),
            ChunkTokens = p.GetValue(ChunkTokens),
            ChunkPool = p.GetValue(ChunkPool),
            ChunkZipf = p.GetValue(ChunkZipf),
            RecomputeFraction = p.GetValue(ChunkRecompute),
            CacheFraction = p.GetValue(CacheFraction),
        };
        o.Validate();
        // Kept when no prefix is configured: a trace that names prefixes runs reuse with these cache settings.
        return o;
    }
}
