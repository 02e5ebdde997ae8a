using System.CommandLine;
using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;
using CoDesign.Schema.Validation;

namespace CoDesign.Cli.Commands.Run;

/// <summary>Options and input resolution shared by 'run' and 'validate': model weights, prompts, backends, engine options.</summary>
public sealed class TensorRunInputs
{
    public Option<string> Model { get; } = CommonOptions.Model();
    public Option<string?> PimBackend { get; } = new("--pim-backend")
    {
        Description = "Backend for the operators the Program places on Logic-PIM (see --placement); default: --backend (cpu for --backend rtl)",
    };
    public Option<string> CoProcessing { get; } = new("--co-processing")
    {
        Description = "none|experts|attention|both: experts split between xPU and PIM by the Program's expert-latency table and run concurrently; " +
            "attention placed on the xPU (prefill) concurrent with attention placed on PIM (decode). none = the placement alone, one processor at a time",
        DefaultValueFactory = _ => "both",
    };
    /// <summary>Spelled and parsed as compile/analyze do (<see cref="SystemArgs.Placement"/>).</summary>
    public Option<string> Placement { get; } = new("--placement")
    {
        Description = "min-time: each operator on its fastest processor for the stage's shape (crossover rule); paper: the Duplex §3 static rule. " +
            "The engine runs each operator on the backend of the processor the compiled Program places it on",
        DefaultValueFactory = _ => "min-time",
    };
    public Option<string?> Prompts { get; } = new("--prompts")
    {
        Description = "File with one request per line: prompt token ids separated by spaces or commas ('#' starts a comment). Default: 4 random prompts from --seed",
    };
    public Option<int> MaxNewTokens { get; } = new("--max-new-tokens") { Description = "Tokens to generate per request (greedy)", DefaultValueFactory = _ => 8 };
    public Option<int> MaxBatch { get; } = new("--max-batch") { Description = "Most requests per stage; others wait and join as requests finish", DefaultValueFactory = _ => 4 };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed for random weights of tiny-moe/tiny-dense without a directory, and for default prompts", DefaultValueFactory = _ => 1 };
    public Option<string> Hardware { get; } = CommonOptions.Hardware();
    /// <summary>Set by the handler from the CLI context: Ctrl-C stops the engine between stages.</summary>
    public CancellationToken Cancellation { get; set; }

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Model, PimBackend, CoProcessing, Placement, Prompts, MaxNewTokens, MaxBatch, Seed, Hardware }) cmd.Options.Add(o);
    }

    /// <summary>
    /// --model DIR (or its config.json): config.json + safetensors. --model tiny-moe|tiny-dense: random weights from --seed
    /// in the preset's weight type. Other presets have no weights.
    /// </summary>
    public static ModelWeights LoadWeights(string model, ulong seed)
    {
        var config = ModelLoader.WithTypes(ModelLoader.Resolve(model), null, null, null);
        if (Directory.Exists(model)) return WeightsLoader.Load(config, model);
        if (File.Exists(model)) return WeightsLoader.Load(config, Path.GetDirectoryName(Path.GetFullPath(model))!);
        if (TinyPresets.TryGet(model) is not null) return RandomModel.Create(config, seed, StorageType(config.WeightType));
        throw new InputException($"model '{model}' is a preset without weights: give a model directory (config.json + *.safetensors; " +
            $"'codesign make-model' writes one) or one of {string.Join(", ", TinyPresets.Names)}");
    }

    public static TensorDType StorageType(DataType t) => t switch
    {
        DataType.Fp32 => TensorDType.F32,
        DataType.Bf16 => TensorDType.BF16,
        DataType.Fp16 => TensorDType.F16,
        _ => throw new InputException($"weight type {t.ShortName()} has no tensor runtime support (fp32, fp16, bf16)"),
    };

    public List<Request> Requests(ParseResult p, ModelWeights w)
    {
        int newTokens = p.GetValue(MaxNewTokens);
        if (newTokens < 1) throw new InputException("--max-new-tokens must be at least 1");
        RunLimits.CheckNewTokens(newTokens);
        var file = p.GetValue(Prompts);
        var list = file is null ? DefaultPrompts(w.Vocab, newTokens, p.GetValue(Seed)) : ReadPrompts(file, newTokens);
        RunLimits.CheckRequests(list, newTokens, file is null ? "run" : $"prompts {InputText.Quote(file)}");
        return list;
    }

    public static List<Request> DefaultPrompts(int vocab, int newTokens, ulong seed)
    {
        var rng = new SplitMix64(seed ^ 0x5EED);
        return Enumerable.Range(0, 4).Select(i => new Request(i, Enumerable.Range(0, 4 + 2 * i).Select(_ => rng.NextInt(vocab)).ToArray(), newTokens)).ToList();
    }

    public static List<Request> ReadPrompts(string path, int newTokens)
    {
        var lines = InputFiles.ReadLines(path, "prompts", InputFiles.MaxTableBytes);
        var list = new List<Request>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            var parts = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            if (parts.Length > RunLimits.PromptTokens.Max)
                throw new InputException($"{path}:{i + 1}: a prompt of {parts.Length} tokens (expected {RunLimits.PromptTokens.Text})");
            var ids = parts.Select(s => int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
                : throw new InputException($"{path}:{i + 1}: {InputText.Quote(s)} is not a token id (non-negative integer)")).ToArray();
            if (list.Count >= RunLimits.MaxPrompts) throw new InputException($"{path}: more than the {RunLimits.MaxPrompts} prompts one run may take");
            list.Add(new Request(list.Count, ids, newTokens));
        }
        if (list.Count == 0) throw new InputException($"{path}: no prompts (one request per line: token ids)");
        return list;
    }

    /// <summary>
    /// Compiles the Program for this model on one device of --hardware (the compiler's placement inputs: placement
    /// policy, co-processing, expert-latency table, bank-bundle spaces) and turns it into the engine's options.
    /// </summary>
    public EngineOptions EngineOptions(ParseResult p, ModelWeights w)
    {
        var v = p.GetValue(CoProcessing)!;
        if (!Enum.TryParse<CoProcessing>(v, ignoreCase: true, out var co) || co == Schema.V1.CoProcessing.Unspecified || !Enum.IsDefined(co))
            throw new InputException($"--co-processing: '{v}' is not one of none, experts, attention, both");
        var placement = PlacementPolicies.Parse(p.GetValue(Placement)!);
        var program = ProgramCompiler.Compile(w.Config, HardwareFile.Resolve(p.GetValue(Hardware)!), new SystemOptions(CoProcessing: co, Placement: placement));
        RunLimits.CheckBatch(p.GetValue(MaxBatch));
        return new EngineOptions { MaxBatch = p.GetValue(MaxBatch), Plan = DuplexPlan.FromProgram(program), Cancellation = Cancellation };
    }

    /// <summary>
    /// xPU and PIM backend names. "rtl" names the PIM side only (Logic-PIM units); the xPU side then runs on cpu.
    /// </summary>
    public (string Xpu, string Pim) BackendNames(ParseResult p, string backend)
    {
        var pim = p.GetValue(PimBackend);
        if (backend == "rtl") return ("cpu", pim ?? "rtl");
        return (backend, pim ?? backend);
    }

    public static Func<IBackend> Factory(string name)
    {
        BackendRegistry.Require(name);   // fail on an unknown name before any work starts
        return () => BackendRegistry.Create(name);
    }
}
