using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Weights;

/// <summary>
/// Loads a model directory's *.safetensors files (one file or Hugging Face shards) and checks every tensor the
/// config implies: a missing tensor or a shape that disagrees with config.json is an error naming both.
/// </summary>
public static class WeightsLoader
{
    public static ModelWeights Load(ModelConfig config, string dir)
    {
        if (!Directory.Exists(dir)) throw new InputException($"model directory {dir} does not exist");
        var files = Directory.GetFiles(dir, "*.safetensors").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new InputException($"model directory {dir} has no *.safetensors files (write one with 'codesign make-model')");
        var all = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        var from = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
            foreach (var t in SafetensorsReader.Read(f))
            {
                if (!all.TryAdd(t.Name, t))
                    throw new InputException($"tensor '{t.Name}' appears in both {Path.GetFileName(from[t.Name])} and {Path.GetFileName(f)}");
                from[t.Name] = f;
            }
        return ModelAssembler.Build(config, new CheckpointSource(all, dir, config), dir);
    }

    sealed class CheckpointSource(Dictionary<string, HostTensor> tensors, string dir, ModelConfig c) : ITensorSource
    {
        public bool Has(string name) => tensors.ContainsKey(name);

        public HostTensor Get(string name, int[] shape)
        {
            if (!tensors.TryGetValue(name, out var t))
                throw new InputException($"model directory {dir}: missing tensor '{name}' (config.json implies shape {HostTensor.ShapeText(shape)})");
            if (!t.Shape.SequenceEqual(shape))
                throw new InputException($"model directory {dir}: tensor '{name}' has shape {HostTensor.ShapeText(t.Shape)} but config.json implies " +
                    $"{HostTensor.ShapeText(shape)} (hidden_size {c.HiddenSize}, heads {c.NumAttentionHeads}/{c.NumKvHeads} x {c.HeadDim}, " +
                    $"intermediate {c.IntermediateSize}/{c.ExpertIntermediateSize}, experts {c.NumExperts}, vocab {c.VocabSize})");
            return t;
        }
    }
}
