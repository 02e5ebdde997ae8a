using System.Diagnostics.CodeAnalysis;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Models;

/// <summary>
/// Built-in models with the values of the Duplex evaluation (Yun et al., MICRO 2024, Table of models;
/// docs/reference/duplex-spec.md §5 [T]). All FP16, head dim 128 [T].
/// </summary>
public static class ModelPresets
{
    public static readonly string[] Names = ["mixtral-8x7b", "glam-143b", "grok-1", "opt-66b", "llama3-70b"];

    /// <summary>Paper models plus the tiny ones made for real-tensor runs (see <see cref="TinyPresets"/>).</summary>
    public static IEnumerable<string> AllNames => Names.Concat(TinyPresets.Names);

    public static bool TryGet(string name, [NotNullWhen(true)] out ModelConfig? model)
    {
        model = name.ToLowerInvariant() switch
        {
            // Mixtral-8x7B: 47B params, every block MoE with 8 experts, top-2, gated SiLU [T]
            "mixtral-8x7b" or "mixtral" => Build("mixtral-8x7b", "MixtralForCausalLM", layers: 32, hidden: 4096, intermediate: 14336,
                heads: 32, kvHeads: 8, vocab: 32000, FfnKind.GatedSilu, experts: 8, topK: 2, moeEvery: 1, ropeTheta: 1e6),
            // GLaM 143B (as evaluated): dense and MoE blocks alternate, 64 experts, top-2, 2-matrix FFN, MHA [T]
            "glam-143b" or "glam" => Build("glam-143b", "GLaM", layers: 32, hidden: 4096, intermediate: 16384,
                heads: 32, kvHeads: 32, vocab: 256000, FfnKind.TwoMatrix, experts: 64, topK: 2, moeEvery: 2, ropeTheta: 0),
            // Grok-1: 314B params, 64 blocks, 8 experts top-2, 48 heads / 8 KV heads [T]
            "grok-1" or "grok1" => Build("grok-1", "Grok1ForCausalLM", layers: 64, hidden: 6144, intermediate: 32768,
                heads: 48, kvHeads: 8, vocab: 131072, FfnKind.GatedSilu, experts: 8, topK: 2, moeEvery: 1, ropeTheta: 1e4),
            // OPT-66B: dense, MHA, 2-matrix ReLU FFN [T]
            "opt-66b" or "opt" => Build("opt-66b", "OPTForCausalLM", layers: 64, hidden: 9216, intermediate: 36864,
                heads: 72, kvHeads: 72, vocab: 50272, FfnKind.TwoMatrix, experts: 0, topK: 0, moeEvery: 0, ropeTheta: 0),
            // Llama 3 70B: dense, GQA with 8 KV heads, gated SiLU [T]
            "llama3-70b" or "llama3" => Build("llama3-70b", "LlamaForCausalLM", layers: 80, hidden: 8192, intermediate: 28672,
                heads: 64, kvHeads: 8, vocab: 128256, FfnKind.GatedSilu, experts: 0, topK: 0, moeEvery: 0, ropeTheta: 5e5),
            _ => TinyPresets.TryGet(name),
        };
        return model is not null;
    }

    static ModelConfig Build(string name, string arch, uint layers, uint hidden, uint intermediate, uint heads, uint kvHeads,
        uint vocab, FfnKind ffn, uint experts, uint topK, uint moeEvery, double ropeTheta)
    {
        var m = new ModelConfig
        {
            Name = name,
            Architecture = arch,
            HiddenSize = hidden,
            NumLayers = layers,
            NumAttentionHeads = heads,
            NumKvHeads = kvHeads,
            HeadDim = 128,                 // [T] all evaluated models use head dim 128
            IntermediateSize = intermediate,
            VocabSize = vocab,
            FfnKind = ffn,
            NumExperts = experts,
            ExpertsPerToken = topK,
            ExpertIntermediateSize = experts > 0 ? intermediate : 0,
            WeightType = DataType.Fp16,    // [T] all FP16
            ActivationType = DataType.Fp16,
            KvCacheType = DataType.Fp16,
            RopeTheta = ropeTheta,
            NormEps = 1e-5,
            Source = "preset: Duplex (MICRO 2024) evaluated models, docs/reference/duplex-spec.md §5 [T]",
        };
        // GLaM alternates dense and MoE blocks; the MoE ones are the odd-numbered blocks.
        for (uint i = 0; i < layers; i++) m.MoeLayers.Add(experts > 0 && (i + 1) % moeEvery == 0);
        return m;
    }
}
