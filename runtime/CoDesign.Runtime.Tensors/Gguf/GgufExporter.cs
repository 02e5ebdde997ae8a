using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Gguf;

/// <summary>
/// Exports <see cref="ModelWeights"/> as a GGUF file that llama.cpp loads, with llama.cpp's architecture names,
/// metadata keys (src/llama-arch.cpp LLM_KV_NAMES) and tensor names (LLM_TENSOR_NAMES), laid out as its
/// convert_hf_to_gguf.py lays out a Hugging Face checkpoint:
/// - "llama" (Llama, Mixtral): llama.cpp rotates adjacent pairs (LLAMA_ROPE_TYPE_NORM) where HF rotates halves,
///   so the converter permutes the rows of q_proj and k_proj within each head (LlamaModel.permute); we do the same.
///   Mixtral's experts are stacked into ffn_{gate,up,down}_exps; llama.cpp renormalises the top-k weights for this
///   architecture, so a MoE with norm_topk_prob false is refused here.
/// - "qwen2moe" (Qwen1.5/2-MoE: shared expert with a sigmoid gate, raw top-k weights, NEOX RoPE, no permutation).
/// - "qwen3" / "qwen3moe" (Qwen3: per-head RMSNorm of q and k before RoPE, attn_{q,k}_norm; renormalised top-k).
/// Weight matrices keep the checkpoint's storage type unless <c>matrixType</c> says otherwise; 1-D tensors
/// (norms, biases, the shared-expert gate) and routers are F32, as the converter writes them.
/// The vocabulary is a placeholder SentencePiece-style table (&lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, 256 byte tokens, then
/// "t{id}"): the oracle feeds token ids, never text, and llama.cpp only needs a loadable table of vocab_size entries.
/// </summary>
public static class GgufExporter
{
    public sealed record Result(string Architecture, int Tensors, long Bytes);

    public static string ArchitectureOf(ModelWeights w)
    {
        var c = w.Config;
        // llama.cpp takes linear scaling as metadata and llama3's as a rope_freqs tensor; neither is written yet.
        if (c.RopeScaling is { } rs) throw new InputException($"export-gguf: model {c.Name} has rope_scaling ({rs.Type}), which is not exported");
        bool moe = w.Layers.Any(l => l.IsMoe);
        bool shared = w.Layers.Any(l => l.SharedExpert is not null);
        bool qkNorm = w.Layers.Any(l => l.QNorm is not null || l.KNorm is not null);
        if (qkNorm)
        {
            if (w.Layers.Any(l => l.QNorm is null || l.KNorm is null || l.QNorm.Count != w.HeadDim || l.KNorm.Count != w.HeadDim))
                throw new InputException($"export-gguf: model {c.Name} normalises q/k other than per head in every layer (OLMoE-style); only Qwen3's per-head q_norm/k_norm is exported");
            if (w.Layers.Any(l => l.QBias is not null || l.KBias is not null || l.VBias is not null || l.SharedExpert is not null))
                throw new InputException($"export-gguf: model {c.Name} has q_norm/k_norm with attention biases or a shared expert, which llama.cpp's qwen3 architectures lack");
            if (!moe) return "qwen3";
            if (!RouterMath.NormTopK(c)) throw new InputException($"export-gguf: model {c.Name} is Qwen3-MoE with norm_topk_prob false; llama.cpp's qwen3moe renormalises top-k weights");
            return "qwen3moe";
        }
        if (!moe) return "llama";
        if (w.Layers.Any(l => l.IsMoe != w.Layers[0].IsMoe))
            throw new InputException($"export-gguf: model {c.Name} mixes dense and MoE layers, which llama.cpp's llama and qwen2moe architectures do not");
        bool norm = RouterMath.NormTopK(c);
        if (shared)
        {
            if (norm) throw new InputException($"export-gguf: model {c.Name} has a shared expert and norm_topk_prob true; llama.cpp's qwen2moe keeps raw top-k weights");
            if (w.Layers.Any(l => l.SharedExpertGate is null))
                throw new InputException($"export-gguf: model {c.Name} has a shared expert without shared_expert_gate, which llama.cpp's qwen2moe requires");
            return "qwen2moe";
        }
        if (!norm) throw new InputException($"export-gguf: model {c.Name} is a MoE with norm_topk_prob false and no shared expert; llama.cpp's llama architecture renormalises top-k weights");
        return "llama";
    }

    public static Result Write(ModelWeights w, string path, Safetensors.TensorDType? matrixType = null)
    {
        var g = Build(w, matrixType, out var arch);
        int tensors = g.TensorCount;
        var tmp = path + ".partial";
        try
        {
            using (var fs = File.Create(tmp)) g.Write(fs);
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(tmp)) File.Delete(tmp);
            throw new InputException($"export-gguf: cannot write {path}: {e.Message}");
        }
        return new Result(arch, tensors, new FileInfo(path).Length);
    }

    static GgufWriter Build(ModelWeights w, TensorDType? matrixType, out string arch)
    {
        var c = w.Config;
        arch = ArchitectureOf(w);
        string a = arch;
        var g = new GgufWriter();
        g.Add("general.architecture", a);
        g.Add("general.name", c.Name);
        g.Add($"{a}.context_length", c.MaxPositionEmbeddings == 0 ? 4096u : c.MaxPositionEmbeddings);
        g.Add($"{a}.embedding_length", c.HiddenSize);
        g.Add($"{a}.block_count", c.NumLayers);
        g.Add($"{a}.attention.head_count", c.NumAttentionHeads);
        g.Add($"{a}.attention.head_count_kv", c.NumKvHeads);
        g.Add($"{a}.attention.key_length", c.HeadDim);
        g.Add($"{a}.attention.value_length", c.HeadDim);
        g.Add($"{a}.rope.dimension_count", c.HeadDim);
        g.Add($"{a}.rope.freq_base", (float)c.RopeTheta);
        g.Add($"{a}.attention.layer_norm_rms_epsilon", (float)c.NormEps);
        g.Add($"{a}.vocab_size", c.VocabSize);
        bool moe = w.Layers[0].IsMoe;
        if (moe)
        {
            g.Add($"{a}.expert_count", c.NumExperts);
            g.Add($"{a}.expert_used_count", c.ExpertsPerToken);
        }
        if (a == "llama") g.Add($"{a}.feed_forward_length", moe ? c.ExpertIntermediateSize : c.IntermediateSize);
        else if (a == "qwen3") g.Add($"{a}.feed_forward_length", c.IntermediateSize);
        else
        {
            g.Add($"{a}.feed_forward_length", c.IntermediateSize == 0 ? c.ExpertIntermediateSize : c.IntermediateSize);
            g.Add($"{a}.expert_feed_forward_length", c.ExpertIntermediateSize);
            if (a == "qwen2moe") g.Add($"{a}.expert_shared_feed_forward_length", (uint)w.Layers[0].SharedExpert!.Gate.Rows);
        }
        AddVocabulary(g, w.Vocab);

        void Vec(string name, HostTensor t) => g.AddTensor(name, [t.Count], TensorDType.F32, t.Values);
        void Mat(string name, HostTensor t, TensorDType? type = null) =>
            Mat2(name, t.Values, t.Rows, t.Cols, type ?? matrixType ?? t.Storage);
        void Mat2(string name, ReadOnlySpan<float> values, int rows, int cols, TensorDType type) => g.AddTensor(name, [cols, rows], type, values);

        Mat("token_embd.weight", w.Embedding);
        bool permute = a == "llama";
        for (int i = 0; i < w.Layers.Length; i++)
        {
            var L = w.Layers[i];
            string B(string s) => $"blk.{i}.{s}";
            Vec(B("attn_norm.weight"), L.InputNorm);
            var q = permute ? PermuteRope(L.Q.Values, w.Heads, w.HeadDim, w.Hidden) : L.Q.Values;
            var k = permute ? PermuteRope(L.K.Values, w.KvHeads, w.HeadDim, w.Hidden) : L.K.Values;
            Mat2(B("attn_q.weight"), q, L.Q.Rows, L.Q.Cols, matrixType ?? L.Q.Storage);
            Mat2(B("attn_k.weight"), k, L.K.Rows, L.K.Cols, matrixType ?? L.K.Storage);
            Mat(B("attn_v.weight"), L.V);
            Mat(B("attn_output.weight"), L.O);
            if (L.QBias is { } qb) g.AddTensor(B("attn_q.bias"), [qb.Count], TensorDType.F32, permute ? PermuteRope(qb.Values, w.Heads, w.HeadDim, 1) : qb.Values);
            if (L.KBias is { } kb) g.AddTensor(B("attn_k.bias"), [kb.Count], TensorDType.F32, permute ? PermuteRope(kb.Values, w.KvHeads, w.HeadDim, 1) : kb.Values);
            if (L.VBias is { } vb) g.AddTensor(B("attn_v.bias"), [vb.Count], TensorDType.F32, vb.Values);
            if (L.QNorm is { } qn) Vec(B("attn_q_norm.weight"), qn);
            if (L.KNorm is { } kn) Vec(B("attn_k_norm.weight"), kn);
            Vec(B("ffn_norm.weight"), L.PostNorm);
            if (L.Dense is { } d)
            {
                Mat(B("ffn_gate.weight"), d.Gate);
                Mat(B("ffn_up.weight"), d.Up);
                Mat(B("ffn_down.weight"), d.Down);
                continue;
            }
            Mat(B("ffn_gate_inp.weight"), L.Router!, TensorDType.F32);
            Stack(B("ffn_gate_exps.weight"), L.Experts.Select(e => e.Gate).ToArray());
            Stack(B("ffn_up_exps.weight"), L.Experts.Select(e => e.Up).ToArray());
            Stack(B("ffn_down_exps.weight"), L.Experts.Select(e => e.Down).ToArray());
            if (L.SharedExpert is { } s)
            {
                Vec(B("ffn_gate_inp_shexp.weight"), L.SharedExpertGate!);
                Mat(B("ffn_gate_shexp.weight"), s.Gate);
                Mat(B("ffn_up_shexp.weight"), s.Up);
                Mat(B("ffn_down_shexp.weight"), s.Down);
            }
        }
        Vec("output_norm.weight", w.FinalNorm);
        if (!ReferenceEquals(w.LmHead, w.Embedding)) Mat("output.weight", w.LmHead);
        return g;

        // Experts stacked as llama.cpp's 3-D tensors: ne = [cols, rows, experts], expert-major.
        void Stack(string name, HostTensor[] ts)
        {
            int rows = ts[0].Rows, cols = ts[0].Cols;
            var all = new float[(long)ts.Length * rows * cols];
            for (int e = 0; e < ts.Length; e++) ts[e].Values.CopyTo(all, (long)e * rows * cols);
            g.AddTensor(name, [cols, rows, ts.Length], matrixType ?? ts[0].Storage, all);
        }
    }

    /// <summary>
    /// convert_hf_to_gguf.py LlamaModel.permute: within each head, row (half t, index i) moves to row 2i + t, so
    /// that llama.cpp's adjacent-pair rotation pairs the same components as HF's rotate-half.
    /// </summary>
    public static float[] PermuteRope(float[] rowsMajor, int heads, int headDim, int cols)
    {
        var y = new float[rowsMajor.Length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++)
            for (int t = 0; t < 2; t++)
                for (int i = 0; i < half; i++)
                    Array.Copy(rowsMajor, ((long)h * headDim + t * half + i) * cols, y, ((long)h * headDim + 2 * i + t) * cols, cols);
        return y;
    }

    static void AddVocabulary(GgufWriter g, int vocab)
    {
        const int special = 3, bytes = 256;
        if (vocab < special + bytes) throw new InputException($"export-gguf: vocab_size {vocab} is below the {special + bytes} entries of the placeholder vocabulary");
        var tokens = new string[vocab];
        var scores = new float[vocab];
        var types = new int[vocab];
        // llama_token_type (llama.h): 1 normal, 2 unknown, 3 control, 6 byte.
        tokens[0] = "<unk>"; types[0] = 2;
        tokens[1] = "<s>"; types[1] = 3;
        tokens[2] = "</s>"; types[2] = 3;
        for (int b = 0; b < bytes; b++) { tokens[special + b] = $"<0x{b:X2}>"; types[special + b] = 6; }
        for (int i = special + bytes; i < vocab; i++) { tokens[i] = $"t{i}"; types[i] = 1; scores[i] = -i; }
        g.Add("tokenizer.ggml.model", "llama");
        g.Add("tokenizer.ggml.tokens", tokens);
        g.Add("tokenizer.ggml.scores", scores);
        g.Add("tokenizer.ggml.token_type", types);
        g.Add("tokenizer.ggml.unknown_token_id", 0u);
        g.Add("tokenizer.ggml.bos_token_id", 1u);
        g.Add("tokenizer.ggml.eos_token_id", 2u);
        g.Add("tokenizer.ggml.add_bos_token", false);
    }
}
