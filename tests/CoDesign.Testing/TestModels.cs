using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Models;
using CoDesign.Compiler.Planning;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Testing;

/// <summary>Shared tiny models (built once per test run: random generation is the slow part) and request sets.</summary>
public static class TestModels
{
    static readonly Lazy<ModelWeights> _moe = new(() => RandomModel.Create(TinyPresets.TryGet("tiny-moe")!, 1, TensorDType.F16));
    static readonly Lazy<ModelWeights> _dense = new(() => RandomModel.Create(TinyPresets.TryGet("tiny-dense")!, 1, TensorDType.BF16));
    static readonly Lazy<ModelWeights> _moeRaw = new(() =>
    {
        var c = TinyPresets.TryGet("tiny-moe")!.Clone();
        c.NormTopkProb = false;
        return RandomModel.Create(c, 1, TensorDType.F16);
    });

    public static ModelWeights TinyMoe => _moe.Value;
    public static ModelWeights TinyDense => _dense.Value;
    /// <summary>tiny-moe's weights with Qwen-MoE routing: norm_topk_prob = false (raw softmax probabilities weight the experts).</summary>
    public static ModelWeights TinyMoeRawTopK => _moeRaw.Value;
    public static ModelWeights Get(string name) => name switch
    {
        "tiny-moe" => TinyMoe,
        "tiny-moe-raw-topk" => TinyMoeRawTopK,
        _ => TinyDense,
    };

    /// <summary>Engine options from a Program compiled for one duplex device with the §3 (paper) placement.</summary>
    public static EngineOptions Options(bool coProcessing = true, int maxBatch = 2, ModelWeights? model = null) => new()
    {
        MaxBatch = maxBatch,
        Plan = DuplexPlan.FromProgram(ProgramCompiler.Compile((model ?? TinyMoe).Config, HardwarePresets.Get("duplex"),
            new SystemOptions(CoProcessing: coProcessing ? CoProcessing.Both : CoProcessing.None, Placement: PlacementPolicy.Paper))),
    };

    static readonly Dictionary<string, EngineResult> _referenceRuns = [];

    /// <summary>The float64 reference run of the first <paramref name="count"/> <see cref="Requests"/> on a tiny model, computed once.</summary>
    public static EngineResult ReferenceRun(string model, int count, int newTokens)
    {
        lock (_referenceRuns)
        {
            string key = $"{model}/{count}/{newTokens}";
            if (!_referenceRuns.TryGetValue(key, out var r))
            {
                var w = Get(model);
                using var reference = new ReferenceBackend();
                _referenceRuns[key] = r = new InferenceEngine(w, reference, reference, Options()).Run(Requests(w.Vocab, newTokens).Take(count).ToList());
            }
            return r;
        }
    }

    /// <summary>Three requests of different prompt lengths, so with a batch of 2 the third joins mid-run (a mixed stage).</summary>
    public static List<Request> Requests(int vocab, int newTokens = 4, ulong seed = 7)
    {
        var rng = new SplitMix64(seed);
        int[] Prompt(int n) => Enumerable.Range(0, n).Select(_ => rng.NextInt(vocab)).ToArray();
        return [new Request(0, Prompt(5), newTokens), new Request(1, Prompt(3), newTokens + 1), new Request(2, Prompt(6), newTokens - 1)];
    }
}
