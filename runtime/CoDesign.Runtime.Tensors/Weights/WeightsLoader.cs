using System.Text.Json;
using CoDesign.Runtime.Tensors.Quantization;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using CoDesign.Schema.Validation;

namespace CoDesign.Runtime.Tensors.Weights;

/// <summary>
/// Loads a model directory's checkpoint and checks every tensor the config implies: a missing tensor or a shape
/// that disagrees with config.json is an error naming both. The shards are those <c>model.safetensors.index.json</c>
/// names (Hugging Face's sharded layout, each tensor checked to be in the shard the index says), else every
/// <c>*.safetensors</c> file. Only the tensors the model uses are read and decoded; the others are never touched.
/// </summary>
public static class WeightsLoader
{
    public const string IndexFile = "model.safetensors.index.json";

    public static ModelWeights Load(ModelConfig config, string dir)
    {
        if (!Directory.Exists(dir)) throw new InputException($"model directory {dir} does not exist");
        var index = Path.Combine(dir, IndexFile);
        var shards = File.Exists(index) ? FromIndex(index, dir) : FromDirectory(dir);
        return ModelAssembler.Build(config, new CheckpointSource(shards, dir, config), dir);
    }

    /// <summary>Every *.safetensors file; a tensor in two of them is ambiguous.</summary>
    static Dictionary<string, SafetensorsReader.Shard> FromDirectory(string dir)
    {
        var files = Directory.GetFiles(dir, "*.safetensors").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new InputException($"model directory {dir} has no *.safetensors files (write one with 'codesign make-model')");
        var where = new Dictionary<string, SafetensorsReader.Shard>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            var file = SafetensorsReader.Open(f);
            foreach (var e in file.Entries)
                if (!where.TryAdd(e.Name, file))
                    throw new InputException($"tensor '{e.Name}' appears in both {Path.GetFileName(where[e.Name].Origin)} and {Path.GetFileName(f)}");
        }
        return where;
    }

    /// <summary>The index's weight_map (tensor name → shard file), each entry checked against its shard's header.</summary>
    static Dictionary<string, SafetensorsReader.Shard> FromIndex(string index, string dir)
    {
        var map = ReadWeightMap(index);
        var opened = new Dictionary<string, SafetensorsReader.Shard>(StringComparer.Ordinal);
        var where = new Dictionary<string, SafetensorsReader.Shard>(StringComparer.Ordinal);
        foreach (var (tensor, shard) in map)
        {
            if (shard.Length == 0 || Path.GetFileName(shard) != shard)
                throw new InputException($"{index}: weight_map entry '{tensor}' names {InputText.Quote(shard)}, not a file in the model directory");
            if (!opened.TryGetValue(shard, out var file))
            {
                var path = Path.Combine(dir, shard);
                if (!File.Exists(path)) throw new InputException($"{index}: tensor '{tensor}' is in shard {shard}, which is not in {dir}");
                opened[shard] = file = SafetensorsReader.Open(path);
            }
            if (!file.Has(tensor)) throw new InputException($"{index}: tensor '{tensor}' is not in shard {shard}, where the index puts it");
            where[tensor] = file;
        }
        return where;
    }

    static Dictionary<string, string> ReadWeightMap(string index)
    {
        string text = InputFiles.ReadText(index, "checkpoint index", InputFiles.MaxJsonBytes);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("weight_map", out var wm) || wm.ValueKind != JsonValueKind.Object)
                throw new InputException($"{index}: no weight_map object (a Hugging Face index maps each tensor to its shard)");
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in wm.EnumerateObject())
                map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()!
                    : throw new InputException($"{index}: weight_map entry '{p.Name}' is not a file name");
            return map;
        }
        catch (JsonException e) { throw new InputException($"{index}: not valid JSON ({InputText.OneLine(e.Message)})"); }
    }

    sealed class CheckpointSource(Dictionary<string, SafetensorsReader.Shard> where, string dir, ModelConfig c) : ITensorSource
    {
        readonly GptqCheckpoint.Layout? _quant = GptqCheckpoint.LayoutOf(c);

        bool IsGptq(string name) => _quant is not null && !where.ContainsKey(name) && GptqCheckpoint.IsQuantised(name) &&
            where.ContainsKey(name[..^".weight".Length] + ".qweight");

        public bool Has(string name) => where.ContainsKey(name) || IsGptq(name);

        public HostTensor Get(string name, int[] shape)
        {
            if (IsGptq(name)) return GptqCheckpoint.Read(name, shape, _quant!, t => where.GetValueOrDefault(t), $"model directory {dir}");
            if (!where.TryGetValue(name, out var file))
                throw new InputException($"model directory {dir}: missing tensor '{name}' (config.json implies shape {HostTensor.ShapeText(shape)})");
            var entry = file.EntryOf(name);
            if (!entry.Shape.SequenceEqual(shape))
                throw new InputException($"model directory {dir}: tensor '{name}' has shape {HostTensor.ShapeText(entry.Shape)} but config.json implies " +
                    $"{HostTensor.ShapeText(shape)} (hidden_size {c.HiddenSize}, heads {c.NumAttentionHeads}/{c.NumKvHeads} x {c.HeadDim}, " +
                    $"intermediate {c.IntermediateSize}/{c.ExpertIntermediateSize}, experts {c.NumExperts}, vocab {c.VocabSize})");
            return file.Read(name);
        }
    }
}
