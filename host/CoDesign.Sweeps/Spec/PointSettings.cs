using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Runtime.Serving;
using CoDesign.Runtime.Serving.Techniques;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;
using CoDesign.Sweeps.Options;

namespace CoDesign.Sweeps.Spec;

/// <summary>
/// What a point means for the compiler and the simulator. Defaults are those of the CLI: hardware duplex,
/// 1 device, and the defaults of <see cref="SystemOptionTables"/>, the simulator's workload defaults, seed 1.
/// </summary>
public static class PointSettings
{
    public static string HardwareSource(SweepPoint p) => p.Text("hardware") ?? "duplex";

    public static int Devices(SweepPoint p) => checked((int)((p.Integer("devices") ?? 1) * (p.Integer("devices_multiple") ?? 1)));

    public static ulong Seed(SweepPoint p) => (ulong)(p.Integer("seed") ?? 1);

    /// <summary>The label a report shows for the point's system: the system axis value, else the hardware.</summary>
    public static string SystemLabel(SweepPoint p) => p.Text("system") ?? HardwareSource(p);

    public static ModelConfig ResolveModel(SweepPoint p) => WeightQuantisation.WithGroupSize(
        ModelLoader.WithTypes(ModelLoader.Resolve(p.Text("model")!), p.Text("weight_type"), null, null),
        p.Integer("group_size") is { } g ? checked((int)g) : null);

    public static Hardware ResolveHardware(SweepPoint p) => HardwareTweaks.Apply(HardwareFile.Resolve(HardwareSource(p)), p);

    /// <summary>The point's system; a missing option takes the table's default, an unknown name is refused.</summary>
    public static SystemOptions ResolveSystem(SweepPoint p) => new(
        Devices(p),
        Choose(SystemOptionTables.MoeParallelism, p),
        Choose(SystemOptionTables.CoProcessing, p),
        Choose(SystemOptionTables.Placement, p));

    static T Choose<T>(OptionTable<T> table, SweepPoint p) where T : notnull => table.Parse(p.Text(table.Key), table.Key);

    /// <summary>Everything that decides the compiled Program; points that share it share one compilation.</summary>
    public static string CompileKey(SweepPoint p)
    {
        var keep = new Dictionary<string, object>();
        foreach (var k in new[] { "model", "hardware", "co_processing", "moe_parallelism", "placement", "weight_type", "group_size" }.Concat(Parameters.HardwareParams))
            if (p.Params.TryGetValue(k, out var v)) keep[k] = v;
        keep["devices"] = (long)Devices(p);
        return Canonical.Json("", keep);
    }

    public static Schema.V1.Program Compile(SweepPoint p) => ProgramCompiler.Compile(ResolveModel(p), ResolveHardware(p), ResolveSystem(p));

    public static WorkloadOptions Workload(SweepPoint p)
    {
        var w = new WorkloadOptions
        {
            Requests = p.Integer("requests") is { } r ? checked((int)r) : null,
            LengthStd = p.Number("length_std") ?? 0,
            Scheduler = Choose(SystemOptionTables.Scheduler, p),
            Seed = Seed(p),
        };
        if (p.Integer("input_len") is { } lin) w = w with { InputLen = checked((int)lin) };
        if (p.Integer("output_len") is { } lout) w = w with { OutputLen = checked((int)lout) };
        if (p.Text("routing") is { } routing) w = w with { Routing = routing };
        w = w with { Speculation = Speculation(p), Prefix = Prefix(p) };
        int? batch = p.Integer("batch") is { } b ? checked((int)b) : null;
        // Open loop when qps is given: batch then caps the running requests (the paper's max batch 128).
        if (p.Number("qps") is { } qps) w = w with { Qps = qps, MaxBatch = batch ?? w.MaxBatch };
        else w = w with { Batch = batch };
        return w;
    }

    /// <summary>spec_k (N or adaptive[:N]), spec_accept, draft_model: the draft shares the point's devices.</summary>
    static SpeculationOptions? Speculation(SweepPoint p)
    {
        var (k, adaptive) = SpecK.Parse(p.Text("spec_k"));
        if (k == 0) return null;
        var draftName = p.Text("draft_model") ?? throw new InputException("spec_k needs draft_model (a preset or config.json)");
        var target = ResolveModel(p);
        var draft = WeightQuantisation.WithGroupSize(
            ModelLoader.WithTypes(ModelLoader.Resolve(draftName), target.WeightType.ShortName(), null, null),
            target.HasQuantGroupSize ? (int)target.QuantGroupSize : null);
        var o = new SpeculationOptions
        {
            K = k,
            Adaptive = adaptive,
            AcceptRate = p.Number("spec_accept") ?? 0.7,
            Draft = ProgramCompiler.Compile(draft, ResolveHardware(p), ResolveSystem(p)),
        };
        o.Validate();
        return o;
    }

    static PrefixOptions? Prefix(SweepPoint p)
    {
        if (p.Integer("shared_prefix") is not { } len || len == 0) return null;
        var o = new PrefixOptions { SharedPrefix = checked((int)len), Groups = checked((int)(p.Integer("prefix_groups") ?? 1)) };
        o.Validate();
        return o;
    }

    public static string HardwareSha256(Hardware hw) => Canonical.Sha256(HardwareFile.ToJson(hw));
}
