using System.Text.Json;
using CoDesign.Runtime.Tensors.Quantization;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Weights;

/// <summary>
/// Writes a model directory the way Hugging Face lays one out: config.json (the keys HF's Llama/Mixtral configs
/// use) and model.safetensors with Llama/Mixtral tensor names. Same weights → byte-identical files.
/// </summary>
public static class ModelDirectoryWriter
{
    public const string WeightsFile = "model.safetensors";

    public static (string ConfigPath, string WeightsPath, long Bytes, int Tensors) Write(ModelWeights w, string dir)
    {
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InputException($"cannot create {dir}: {e.Message}"); }
        var cfgPath = Path.Combine(dir, "config.json");
        var weightsPath = Path.Combine(dir, WeightsFile);
        File.WriteAllText(cfgPath, ConfigJson(w.Config, w.Embedding.Storage));
        // A GPTQ-quantised weight is stored as its packed tensors (qweight, qzeros, scales, g_idx), not as P.weight.
        var tensors = RandomModel.AllTensors(w)
            .SelectMany(t => t.Gptq is null ? [new RawTensor(t.Name, t.Storage.HeaderName(), t.Shape, SafetensorsWriter.Encode(t))] : GptqCheckpoint.Tensors(t))
            .ToList();
        SafetensorsWriter.WriteRaw(weightsPath, tensors, new Dictionary<string, string> { ["format"] = "pt", ["origin"] = w.Origin });
        return (cfgPath, weightsPath, new FileInfo(weightsPath).Length, tensors.Count);
    }

    public static string ConfigJson(ModelConfig c, TensorDType storage)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            bool moe = c.NumExperts > 0;
            j.WriteStartObject();
            j.WriteString("_name_or_path", c.Name);
            j.WriteStartArray("architectures");
            j.WriteStringValue(c.Architecture);
            j.WriteEndArray();
            j.WriteString("model_type", moe ? "mixtral" : "llama");
            j.WriteNumber("hidden_size", c.HiddenSize);
            j.WriteNumber("num_hidden_layers", c.NumLayers);
            j.WriteNumber("num_attention_heads", c.NumAttentionHeads);
            j.WriteNumber("num_key_value_heads", c.NumKvHeads);
            j.WriteNumber("head_dim", c.HeadDim);
            j.WriteNumber("intermediate_size", moe ? c.ExpertIntermediateSize : c.IntermediateSize);
            if (moe)
            {
                j.WriteNumber("num_local_experts", c.NumExperts);
                j.WriteNumber("num_experts_per_tok", c.ExpertsPerToken);
                // Written whenever the model sets it, so a model_type "mixtral" reader keeps raw top-k weights too.
                if (c.HasNormTopkProb) j.WriteBoolean("norm_topk_prob", c.NormTopkProb);
            }
            j.WriteNumber("vocab_size", c.VocabSize);
            j.WriteNumber("max_position_embeddings", c.MaxPositionEmbeddings);
            j.WriteNumber("rope_theta", c.RopeTheta);
            j.WriteNumber("rms_norm_eps", c.NormEps);
            j.WriteBoolean("tie_word_embeddings", c.TieWordEmbeddings);
            j.WriteString("hidden_act", "silu");
            j.WriteString("torch_dtype", storage switch { TensorDType.F32 => "float32", TensorDType.F16 => "float16", _ => "bfloat16" });
            if (c.QuantMethod == GptqCheckpoint.Method)
            {
                // The keys Transformers' GPTQConfig writes; sym false because our quantiser is asymmetric (a zero point per group).
                j.WriteStartObject("quantization_config");
                j.WriteString("quant_method", GptqCheckpoint.Method);
                j.WriteNumber("bits", c.WeightType == DataType.Int4 ? 4 : 8);
                j.WriteNumber("group_size", c.QuantGroupSize == 0 ? -1 : (int)c.QuantGroupSize);
                j.WriteBoolean("desc_act", false);
                j.WriteBoolean("sym", false);
                j.WriteString("checkpoint_format", GptqCheckpoint.Method);
                j.WriteEndObject();
            }
            j.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
