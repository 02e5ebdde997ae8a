using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Models;

/// <summary>
/// Small models with the shapes of the real ones (GQA, top-2 MoE, RMSNorm, RoPE, SwiGLU) so that real tensors
/// run on a CPU in tests. Sizes are our choice, not a published model: big enough to exercise every operator
/// (vocabulary >= 1000, >= 8 experts), small enough that a float64 reference run takes well under a second.
/// </summary>
public static class TinyPresets
{
    public static readonly string[] Names = ["tiny-moe", "tiny-dense", "tiny-draft"];

    public static ModelConfig? TryGet(string name) => name.ToLowerInvariant() switch
    {
        "tiny-moe" => Tiny("tiny-moe", "MixtralForCausalLM", experts: 8, topK: 2),
        "tiny-dense" => Tiny("tiny-dense", "LlamaForCausalLM", experts: 0, topK: 0),
        "tiny-draft" => Draft(),
        _ => ServingPresets.TryGet(name),
    };

    /// <summary>
    /// A draft model for speculative decoding of tiny-moe / tiny-dense: the same vocabulary (1024, the one thing a draft
    /// must share), 2 layers of half the width. Sizes are our choice.
    /// </summary>
    static ModelConfig Draft()
    {
        var m = Tiny("tiny-draft", "LlamaForCausalLM", experts: 0, topK: 0);
        m.NumLayers = 2;
        m.HiddenSize = 128;
        m.NumAttentionHeads = 4;
        m.IntermediateSize = 256;
        m.MoeLayers.Clear();
        m.MoeLayers.Add([false, false]);
        return m;
    }

    static ModelConfig Tiny(string name, string arch, uint experts, uint topK)
    {
        const uint layers = 4;
        var m = new ModelConfig
        {
            Name = name,
            Architecture = arch,
            HiddenSize = 256,
            NumLayers = layers,
            NumAttentionHeads = 8,
            NumKvHeads = 2,            // GQA group of 4
            HeadDim = 32,
            IntermediateSize = 512,
            VocabSize = 1024,
            FfnKind = FfnKind.GatedSilu,
            NumExperts = experts,
            ExpertsPerToken = topK,
            ExpertIntermediateSize = experts > 0 ? 512u : 0,
            WeightType = DataType.Fp16,
            ActivationType = DataType.Fp16,
            KvCacheType = DataType.Fp16,
            MaxPositionEmbeddings = 4096,
            RopeTheta = 10000,
            NormEps = 1e-5,
            Source = "built-in tiny preset (CoDesign test model; sizes chosen, not published)",
        };
        for (uint i = 0; i < layers; i++) m.MoeLayers.Add(experts > 0);
        return m;
    }
}
