using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Weights;

/// <summary>Gate, up and down projections of a SwiGLU FFN: down(silu(gate·x) ⊙ up·x).</summary>
public sealed record FfnWeights(HostTensor Gate, HostTensor Up, HostTensor Down)
{
    /// <summary>The routed expert's index in its layer (which compiled PIM kernel serves it); -1 for dense and shared FFNs.</summary>
    public int Expert { get; init; } = -1;
}

/// <summary>One decoder layer's tensors, already checked against the config's shapes.</summary>
public sealed class LayerWeights
{
    public required HostTensor InputNorm { get; init; }
    public required HostTensor Q { get; init; }
    public required HostTensor K { get; init; }
    public required HostTensor V { get; init; }
    public required HostTensor O { get; init; }
    /// <summary>Q/K/V biases (Qwen-style checkpoints carry them; Llama and Mixtral do not).</summary>
    public HostTensor? QBias { get; init; }
    public HostTensor? KBias { get; init; }
    public HostTensor? VBias { get; init; }
    /// <summary>
    /// RMSNorm gains of the query and key projections, applied before RoPE: per head ([head_dim], Qwen3) or over
    /// the whole projection ([heads·head_dim], OLMoE). Absent in Llama, Mixtral and Qwen2-MoE.
    /// </summary>
    public HostTensor? QNorm { get; init; }
    public HostTensor? KNorm { get; init; }
    public required HostTensor PostNorm { get; init; }
    /// <summary>Dense FFN (layers that are not sparse).</summary>
    public FfnWeights? Dense { get; init; }
    /// <summary>Router [experts, hidden] (sparse layers).</summary>
    public HostTensor? Router { get; init; }
    public FfnWeights[] Experts { get; init; } = [];
    /// <summary>Qwen-MoE shared expert and its sigmoid gate [1, hidden].</summary>
    public FfnWeights? SharedExpert { get; init; }
    public HostTensor? SharedExpertGate { get; init; }
    public bool IsMoe => Router is not null;
}

/// <summary>A decoder-only model's weights plus the config they were checked against.</summary>
public sealed class ModelWeights
{
    public required ModelConfig Config { get; init; }
    public required HostTensor Embedding { get; init; }
    public required LayerWeights[] Layers { get; init; }
    public required HostTensor FinalNorm { get; init; }
    /// <summary>The LM head; the embedding itself when the model ties them.</summary>
    public required HostTensor LmHead { get; init; }
    /// <summary>Where the weights came from (a directory, or "random, seed N").</summary>
    public required string Origin { get; init; }

    public int Hidden => (int)Config.HiddenSize;
    public int Heads => (int)Config.NumAttentionHeads;
    public int KvHeads => (int)Config.NumKvHeads;
    public int HeadDim => (int)Config.HeadDim;
    public int Vocab => (int)Config.VocabSize;
    public int TopK => (int)Config.ExpertsPerToken;
}
