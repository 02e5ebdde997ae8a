using CoDesign.Compiler.Models;
using CoDesign.Reports;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using Google.Protobuf;

namespace CoDesign.Cli.Commands.Models;

/// <summary>The models listed: every preset, or the one the user named (a preset or a config.json).</summary>
public sealed record ModelsOutput(IReadOnlyList<ModelConfig> Models, bool Named);

public sealed class ModelsRenderer : Renderer<ModelsOutput>
{
    public sealed record ModelRow(string Name, string Architecture, uint Layers, int MoeLayers, uint Hidden, uint Heads, uint KvHeads,
        uint HeadDim, uint Intermediate, string Ffn, uint Experts, uint TopK, uint Vocab, double Params, double ActiveParams, double WeightBytes);

    protected override void Json(TextWriter w, ModelsOutput o)
    {
        if (o.Named)
        {
            // One model: the normalised protobuf message, the same form a Program embeds, with the proto's
            // snake_case field names (the CLI's JSON convention; protobuf JSON parsers accept them too).
            w.WriteLine(new JsonFormatter(JsonFormatter.Settings.Default.WithIndentation().WithPreserveProtoFieldNames(true)).Format(o.Models[0]));
            return;
        }
        Reports.Json.Write(w, o.Models.Select(Row).ToList());
    }

    protected override void Csv(TextWriter w, ModelsOutput o) =>
        Reports.Csv.Write(w, ["name", "architecture", "layers", "moe_layers", "hidden", "heads", "kv_heads", "head_dim", "intermediate", "experts", "top_k", "vocab", "params", "active_params", "weight_bytes"],
            o.Models.Select(Row).Select(r => (IReadOnlyList<object?>)[r.Name, r.Architecture, r.Layers, r.MoeLayers, r.Hidden, r.Heads, r.KvHeads, r.HeadDim, r.Intermediate, r.Experts, r.TopK, r.Vocab, r.Params, r.ActiveParams, r.WeightBytes]));

    protected override void Table(TextWriter w, ModelsOutput o)
    {
        var t = new TextTable("model", "arch", "layers (moe)", "hidden", "heads/kv", "ffn", "experts", "vocab", "params", "active", "weights");
        foreach (var r in o.Models.Select(Row))
            t.Add(r.Name, r.Architecture, $"{r.Layers} ({r.MoeLayers})", r.Hidden.ToString(), $"{r.Heads}/{r.KvHeads}",
                $"{r.Intermediate} {r.Ffn}", r.Experts > 0 ? $"{r.Experts} top-{r.TopK}" : "-", r.Vocab.ToString(),
                Units.Number(r.Params / 1e9) + " B", Units.Number(r.ActiveParams / 1e9) + " B", Units.Bytes(r.WeightBytes));
        t.Write(w);
        // One config file: what the reader recognised, so nothing is taken silently.
        if (o.Models is [{ Features.Count: > 0 } one])
        {
            w.WriteLine("recognised:");
            foreach (var f in one.Features) w.WriteLine($"  - {f}");
        }
    }

    static ModelRow Row(ModelConfig m) => new(m.Name, m.Architecture, m.NumLayers, ModelStats.MoeLayerCount(m), m.HiddenSize,
        m.NumAttentionHeads, m.NumKvHeads, m.HeadDim, m.NumExperts > 0 ? m.ExpertIntermediateSize : m.IntermediateSize,
        m.FfnKind == FfnKind.TwoMatrix ? "2-matrix" : "gated-silu", m.NumExperts, m.ExpertsPerToken, m.VocabSize,
        ModelStats.TotalParams(m), ModelStats.ActiveParams(m), ModelStats.WeightBytes(m));
}
