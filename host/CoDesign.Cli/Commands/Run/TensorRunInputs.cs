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
using CoDesign.Sweeps.Options;

namespace CoDesign.Cli.Commands.Run;

/// <summary>Options and input resolution shared by 'run' and 'validate': model weights, prompts, backends, engine options.</summary>
public sealed class TensorRunInputs
{
    public Option<string> Model { get; } = CommonOptions.Model();
    public Option<string?> PimBackend { get; } = new("--pim-backend")
    {
        Description = "Backend for the operators the Program places on Logic-PIM (see --placement); default: --backend (cpu for --backend rtl)",
    };
    /// <summary>Spelled and parsed from the same tables as compile, analyze and simulate.</summary>
    public Option<string?> CoProcessing { get; } = ProgramArgs.Choice(SystemOptionTables.CoProcessing);
    public Option<string?> Placement { get; } = ProgramArgs.Choice(SystemOptionTables.Placement);
    public Option<string?> ProgramFile { get; } = ProgramArgs.Option();
    public Option<string?> Prompts { get; } = new("--prompts")
    {
        Description = "File with one request per line: prompt token ids separated by spaces or commas ('#' starts a comment). Default: 4 random prompts from --seed",
    };
    public Option<int> MaxNewTokens { get; } = new("--max-new-tokens") { Description = "Tokens to generate per request (greedy)", DefaultValueFactory = _ => 8 };
    public Option<double> MaxNewTokensStd { get; } = new("--max-new-tokens-std")
    {
        Description = "Standard deviation of each request's tokens to generate, Gaussian around --max-new-tokens (rounded, at least 1; from --seed), so requests finish at different stages",
        DefaultValueFactory = _ => 0,
    };
    public Option<string?> Schedule { get; } = new("--requests")
    {
        Description = "CSV request schedule with header arrival_stage,max_new_tokens,prompt (prompt: token ids separated by spaces): " +
            "requests join at their arrival stage, so stages mix prefill and decode. Instead of --prompts",
    };
    public Option<int> MaxBatch { get; } = new("--max-batch") { Description = "Most requests per stage; others wait and join as requests finish", DefaultValueFactory = _ => 4 };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed for random weights of tiny-moe/tiny-dense without a directory, and for default prompts", DefaultValueFactory = _ => 1 };
    public Option<string> Hardware { get; } = CommonOptions.Hardware();
    public Option<bool> PrefixReuse { get; } = new("--prefix-reuse")
    {
        Description = "Reuse the real K and V of a prompt prefix already prefilled in this run (a later request copies them and prefills only the rest)",
    };

    /// <summary>Everything 'run' and 'validate' need, resolved and checked from the command line before any work.</summary>
    public sealed record Resolved(ModelWeights Weights, List<Request> Requests, EngineOptions Options, string XpuBackend, string PimBackend);

    /// <summary>Weights, then requests, then the Program and engine options, then backends: the order errors are found in.
    /// Ctrl-C (<paramref name="ct"/>) stops the engine between stages.</summary>
    public Resolved Resolve(ParseResult p, string backend, CancellationToken ct)
    {
        var weights = LoadWeights(p.GetValue(Model)!, p.GetValue(Seed));
        var requests = Requests(p, weights);
        var options = EngineOptions(p, weights, ct);
        var (xpu, pim) = BackendNames(p, backend);
        return new(weights, requests, options, xpu, pim);
    }

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { ProgramFile, Model, PimBackend, CoProcessing, Placement, Prompts, Schedule, MaxNewTokens, MaxNewTokensStd, MaxBatch, Seed, Hardware, PrefixReuse })
            cmd.Options.Add(o);
    }

    /// <summary>
    /// --model DIR (or its config.json): config.json + safetensors. --model tiny-moe|tiny-dense: random weights from --seed
    /// in the preset's weight type. Other presets have no weights.
    /// </summary>
    public static ModelWeights LoadWeights(string model, ulong seed)
    {
        var config = ModelLoader.WithTypes(ModelLoader.Resolve(model), null, null, null);
        // GPTQ v1 int4/int8 checkpoints are read (issue 13); AWQ, FP8, GPTQ v2 and act-order are refused naming them.
        Runtime.Tensors.Quantization.GptqCheckpoint.LayoutOf(config);
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
        double std = p.GetValue(MaxNewTokensStd);
        if (!double.IsFinite(std) || std < 0) throw new InputException($"--max-new-tokens-std must be a non-negative number, got {std}");
        if (p.GetValue(Schedule) is { } schedule)
        {
            if (p.GetValue(Prompts) is not null) throw new InputException("give --prompts or --requests, not both (--requests carries the prompts)");
            if (p.GetResult(MaxNewTokens) is { Implicit: false } || std > 0)
                throw new InputException("--requests gives each request's max_new_tokens; --max-new-tokens and --max-new-tokens-std do not apply");
            var scheduled = RequestSchedule.Read(schedule);
            RunLimits.CheckRequests(scheduled, $"requests {InputText.Quote(schedule)}");
            return scheduled;
        }
        var file = p.GetValue(Prompts);
        var list = file is null ? DefaultPrompts(w.Vocab, newTokens, p.GetValue(Seed)) : ReadPrompts(file, newTokens);
        if (std > 0) list = RequestSchedule.VaryLengths(list, newTokens, std, p.GetValue(Seed));
        RunLimits.CheckRequests(list, file is null ? "run" : $"prompts {InputText.Quote(file)}");
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
    /// The Program the engine follows: read from --program (refused unless it was compiled for these weights' model
    /// and for the --hardware, --co-processing and --placement given), or compiled in memory for one device of
    /// --hardware exactly as 'codesign compile' would. Its placement policy, co-processing, expert-latency table and
    /// bank-bundle spaces become the engine's plan.
    /// </summary>
    public EngineOptions EngineOptions(ParseResult p, ModelWeights w, CancellationToken ct = default)
    {
        RunLimits.CheckBatch(p.GetValue(MaxBatch));
        return new() { MaxBatch = p.GetValue(MaxBatch), Plan = DuplexPlan.FromProgram(Program(p, w)), Cancellation = ct, PrefixReuse = p.GetValue(PrefixReuse) };
    }

    public Schema.V1.Program Program(ParseResult p, ModelWeights w)
    {
        var hardware = HardwareFile.Resolve(p.GetValue(Hardware)!);
        if (p.GetValue(ProgramFile) is not { } path) return Compile(p, w.Config);
        var program = Schema.Programs.ProgramFile.Read(path);
        ProgramArgs.CheckModel(program, w.Config, path, "--model (the weights)");
        if (p.GetResult(Hardware) is { Implicit: false }) ProgramArgs.CheckHardware(program, hardware, path);
        ProgramArgs.CheckSystem(program, path, null, p.GetValue(CoProcessing), p.GetValue(Placement));
        return program;
    }

    /// <summary>The Program for one device of --hardware with --co-processing and --placement, as 'codesign compile' writes it.</summary>
    public Schema.V1.Program Compile(ParseResult p, ModelConfig config) =>
        ProgramCompiler.Compile(config, HardwareFile.Resolve(p.GetValue(Hardware)!), new SystemOptions(
            CoProcessing: SystemOptionTables.CoProcessing.Parse(p.GetValue(CoProcessing), SystemOptionTables.CoProcessing.Flag),
            Placement: SystemOptionTables.Placement.Parse(p.GetValue(Placement), SystemOptionTables.Placement.Flag)));

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
        return Backends.BackendTable.Tensor(name);   // fails on an unknown name before any work starts
    }
}
