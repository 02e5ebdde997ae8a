using LLama;
using LLama.Common;
using LLama.Native;

namespace CoDesign.Runtime.Oracle;

/// <summary>One prompt's greedy continuation by llama.cpp and, per generated token, the logits it was chosen from.</summary>
public sealed record OracleResult(int[] Generated, float[][] Logits);

/// <summary>
/// Greedy decoding of token-id prompts by llama.cpp (LLamaSharp 0.30.0 and its CPU backend), an implementation
/// none of this project's code shares: its own GGUF loader, graph builder, RoPE, attention, MoE routing and ggml
/// CPU kernels. The KV cache is kept in F32 (llama.cpp's default is F16) so that the oracle's own error is that of
/// FP32 arithmetic on the exported weights; flash attention is off (the plain softmax path, F32 throughout).
/// Ties go to the lowest token id, as in <c>InferenceEngine</c>.
/// </summary>
public static class LlamaCppOracle
{
    static readonly Lock Gate = new();
    static bool _quiet;

    public static IReadOnlyList<OracleResult> Run(string ggufPath, IReadOnlyList<int[]> prompts, int maxNewTokens, int threads = 2)
    {
        lock (Gate)
        {
            if (!_quiet)
            {
                // llama.cpp logs every tensor at load; keep errors only.
                NativeLibraryConfig.All.WithLogCallback((level, message) => { if (level == LLamaLogLevel.Error) Console.Error.Write(message); });
                _quiet = true;
            }
            int context = prompts.Max(p => p.Length) + maxNewTokens;
            var p = new ModelParams(ggufPath)
            {
                ContextSize = (uint)Math.Max(64, context),
                BatchSize = (uint)Math.Max(64, context),
                UBatchSize = (uint)Math.Max(64, context),
                GpuLayerCount = 0,
                Threads = threads,
                BatchThreads = threads,
                TypeK = GGMLType.GGML_TYPE_F32,
                TypeV = GGMLType.GGML_TYPE_F32,
                FlashAttention = false,
            };
            using var weights = LLamaWeights.LoadFromFile(p);
            int vocab = weights.Vocab.Count;
            var results = new List<OracleResult>();
            foreach (var prompt in prompts)
            {
                using var ctx = weights.CreateContext(p);
                var batch = new LLamaBatch();
                var generated = new List<int>();
                var logits = new List<float[]>();
                for (int i = 0; i < prompt.Length; i++) batch.Add((LLamaToken)prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
                int pos = prompt.Length;
                for (int step = 0; step < maxNewTokens; step++)
                {
                    var rc = ctx.NativeHandle.Decode(batch);
                    if (rc != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode failed: {rc}");
                    var row = ctx.NativeHandle.GetLogitsIth(batch.TokenCount - 1).Slice(0, vocab).ToArray();
                    int best = 0;
                    for (int t = 1; t < row.Length; t++) if (row[t] > row[best]) best = t;
                    generated.Add(best); logits.Add(row);
                    batch.Clear();
                    batch.Add((LLamaToken)best, pos++, LLamaSeqId.Zero, true);
                }
                results.Add(new OracleResult([.. generated], [.. logits]));
            }
            return results;
        }
    }
}
