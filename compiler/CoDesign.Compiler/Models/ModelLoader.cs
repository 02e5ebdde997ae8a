using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Models;

/// <summary>Resolves --model: a preset name, a config.json path, or a directory holding config.json.</summary>
public static class ModelLoader
{
    public static ModelConfig Resolve(string nameOrPath)
    {
        if (ModelPresets.TryGet(nameOrPath, out var preset)) return preset;
        if (Directory.Exists(nameOrPath))
        {
            var cfg = Path.Combine(nameOrPath, "config.json");
            if (!File.Exists(cfg)) throw new InputException($"model directory {nameOrPath} has no config.json");
            return HfConfigReader.Load(cfg);
        }
        if (File.Exists(nameOrPath)) return HfConfigReader.Load(nameOrPath);
        throw new InputException(
            $"model '{nameOrPath}' is neither a preset ({string.Join(", ", ModelPresets.AllNames)}) nor an existing config.json or directory");
    }

    /// <summary>Applies --weight-type / --activation-type / --kv-type; unset types default to fp16.</summary>
    public static ModelConfig WithTypes(ModelConfig model, string? weight, string? activation, string? kv)
    {
        var m = model.Clone();
        if (weight is not null) m.WeightType = DataTypes.Parse(weight, Setting.Ref("weight_type"));
        if (activation is not null) m.ActivationType = DataTypes.Parse(activation, Setting.Ref("activation_type"));
        if (kv is not null) m.KvCacheType = DataTypes.Parse(kv, Setting.Ref("kv_type"));
        if (m.WeightType == DataType.Unspecified) m.WeightType = DataType.Fp16;
        if (m.ActivationType == DataType.Unspecified) m.ActivationType = DataType.Fp16;
        if (m.KvCacheType == DataType.Unspecified) m.KvCacheType = DataType.Fp16;
        return m;
    }
}
