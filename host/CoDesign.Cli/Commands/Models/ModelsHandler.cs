using CoDesign.Compiler.Models;
using CoDesign.Reports;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using Google.Protobuf;

namespace CoDesign.Cli.Commands.Models;

public static class ModelsHandler
{
    public static int Run(string? name, OutputFormat format, CliContext ctx)
    {
        var models = name is null
            ? ModelPresets.AllNames.Select(n => ModelLoader.WithTypes(ModelLoader.Resolve(n), null, null, null)).ToList()
            : [ModelLoader.WithTypes(ModelLoader.Resolve(name), null, null, null)];
        if (name is not null && format == OutputFormat.Json)
        {
            // One model: the normalised protobuf message, the same form a Program embeds, with the proto's
            // snake_case field names (the CLI's JSON convention; protobuf JSON parsers accept them too).
            ctx.Out.WriteLine(new JsonFormatter(JsonFormatter.Settings.Default.WithIndentation().WithPreserveProtoFieldNames(true)).Format(models[0]));
            return ExitCodes.Success;
        }
        var rows = models.Select(Row).ToList();
        switch (format)
        {
            case OutputFormat.Json: Json.Write(ctx.Out, rows); break;
            case OutputFormat.Csv:
                Csv.Write(ctx.Out, ["name", "architecture", "layers", "moe_layers", "hidden", "heads", "kv_heads", "head_dim", "intermediate", "experts", "top_k", "vocab", "params", "active_params", "weight_bytes"],
                    rows.Select(r => (IReadOnlyList<object?>)[r.Name, r.Architecture, r.Layers, r.MoeLayers, r.Hidden, r.Heads, r.KvHeads, r.HeadDim, r.Intermediate, r.Experts, r.TopK, r.Vocab, r.Params, r.ActiveParams, r.WeightBytes]));
                break;
            default:
                var t = new TextTable("model", "arch", "layers (moe)", "hidden", "heads/kv", "ffn", "experts", "vocab", "params", "active", "weights");
                foreach (var r in rows)
                    t.Add(r.Name, r.Architecture, $"{r.Layers} ({r.MoeLayers})", r.Hidden.ToString(), $"{r.Heads}/{r.KvHeads}",
                        $"{r.Intermediate} {r.Ffn}", r.Experts > 0 ? $"{r.Experts} top-{r.TopK}" : "-", r.Vocab.ToString(),
                        Units.Number(r.Params / 1e9) + " B", Units.Number(r.ActiveParams / 1e9) + " B", Units.Bytes(r.WeightBytes));
                t.Write(ctx.Out);
                // One config file: what the reader recognised, so nothing is taken silently.
                if (models is [{ Features.Count: > 0 } one])
                {
                    ctx.Out.WriteLine("recognised:");
                    foreach (var f in one.Features) ctx.Out.WriteLine($"  - {f}");
                }
                break;
        }
        return ExitCodes.Success;
    }

    public sealed record ModelRow(string Name, string Architecture, uint Layers, int MoeLayers, uint Hidden, uint Heads, uint KvHeads,
        uint HeadDim, uint Intermediate, string Ffn, uint Experts, uint TopK, uint Vocab, double Params, double ActiveParams, double WeightBytes);

    static ModelRow Row(ModelConfig m) => new(m.Name, m.Architecture, m.NumLayers, ModelStats.MoeLayerCount(m), m.HiddenSize,
        m.NumAttentionHeads, m.NumKvHeads, m.HeadDim, m.NumExperts > 0 ? m.ExpertIntermediateSize : m.IntermediateSize,
        m.FfnKind == FfnKind.TwoMatrix ? "2-matrix" : "gated-silu", m.NumExperts, m.ExpertsPerToken, m.VocabSize,
        ModelStats.TotalParams(m), ModelStats.ActiveParams(m), ModelStats.WeightBytes(m));
}
