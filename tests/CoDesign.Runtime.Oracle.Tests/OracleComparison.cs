using CoDesign.Machine;
using CoDesign.Machine.Stages;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Gguf;
using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Validation;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.Hardware;

namespace CoDesign.Runtime.Oracle.Tests;

/// <summary>What the comparison of our engine with llama.cpp found, per request.</summary>
public sealed record OracleAgreement(int TokensCompared, int TokensMatching, int ExcusedTies, double MaxRelLogitError, double Tolerance, IReadOnlyList<string> Problems)
{
    public bool Agrees => Problems.Count == 0;
}

/// <summary>
/// Runs the same prompts on our engine (float64 reference backend) and on llama.cpp (the model exported to an
/// F32 GGUF), and compares every step's logits and the greedy tokens. The bound is the FP32 logit tolerance of
/// <see cref="Tolerances.Logits(CoDesign.Schema.V1.ModelConfig, int, Precision, Precision?, Func{OpKind, bool}?)"/>:
/// llama.cpp computes in FP32 (F32 weights, activations, KV cache and sums), the reference in float64, so their
/// difference is llama.cpp's FP32 error. Logits are compared up to a request's first token difference (after it
/// the two continue different texts); that difference is excused only when the reference's own top-2 margin
/// there is within twice the bound (both sides can be off by the bound).
/// </summary>
public static class OracleComparison
{
    public static List<Request> Prompts(int vocab, int newTokens, ulong seed = 21)
    {
        var rng = new SplitMix64(seed);
        int[] P(int n) => [.. Enumerable.Range(0, n).Select(_ => rng.NextInt(vocab))];
        return [new Request(0, P(5), newTokens), new Request(1, P(11), newTokens)];
    }

    public static OracleAgreement Compare(ModelWeights ours, string gguf, List<Request> requests)
    {
        int newTokens = requests.Max(r => r.MaxNewTokens);
        var theirs = LlamaCppOracle.Run(gguf, [.. requests.Select(r => r.Prompt)], newTokens);
        var logits = new Dictionary<(int, int), double[]>();
        var options = new EngineOptions
        {
            MaxBatch = requests.Count,
            Plan = DuplexPlan.FromProgram(CoDesign.Compiler.Emit.ProgramCompiler.Compile(ours.Config, HardwarePresets.Get("duplex"),
                new CoDesign.Compiler.Planning.SystemOptions(CoProcessing: CoDesign.Schema.V1.CoProcessing.None, Placement: CoDesign.Schema.V1.PlacementPolicy.Paper))),
            LogitsObserver = (id, step, row) => { lock (logits) logits[(id, step)] = row; },
        };
        using var reference = new ReferenceBackend();
        var run = new InferenceEngine(ours, reference, reference, options).Run(requests);
        int maxContext = requests.Max(r => r.Prompt.Length + r.MaxNewTokens);
        double tol = Tolerances.Logits(ours.Config, maxContext, Precision.Float32);
        int compared = 0, matching = 0, ties = 0;
        double maxRel = 0;
        var problems = new List<string>();
        foreach (var r in run.Requests)
        {
            var o = theirs[r.Id];
            for (int s = 0; s < r.Generated.Length; s++)
            {
                var mine = logits[(r.Id, s)];
                double scale = mine.Max(Math.Abs), diff = 0;
                for (int t = 0; t < mine.Length; t++) diff = Math.Max(diff, Math.Abs(mine[t] - o.Logits[s][t]));
                maxRel = Math.Max(maxRel, diff / scale);
                if (diff / scale > tol) problems.Add($"request {r.Id} step {s}: logits differ by {diff / scale:0.00e+0} of max|logit| > {tol:0.00e+0}");
                compared++;
                if (r.Generated[s] == o.Generated[s]) { matching++; continue; }
                if (r.Margins[s] <= 2 * tol * scale) ties++;
                else problems.Add($"request {r.Id} step {s}: token {o.Generated[s]} from llama.cpp, {r.Generated[s]} from ours with margin {r.Margins[s]:0.000e+0} > {2 * tol * scale:0.000e+0}");
                break;
            }
        }
        return new OracleAgreement(compared, matching, ties, maxRel, tol, problems);
    }

    public static string Export(ModelWeights w, string dir)
    {
        var path = Path.Combine(dir, w.Config.Name + ".gguf");
        GgufExporter.Write(w, path, TensorDType.F32);
        return path;
    }
}
