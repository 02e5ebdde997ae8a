using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.ExportGguf;

/// <summary>What <c>export-gguf</c> prints: the file written.</summary>
public sealed class ExportGgufRenderer : Renderer<ExportGgufHandler.Exported>
{
    protected override void Table(TextWriter w, ExportGgufHandler.Exported e)
    {
        w.WriteLine($"wrote {e.Model} as GGUF ({e.Architecture}) to {e.File}: {e.Tensors} tensors, {Units.Bytes(e.Bytes)}");
    }

    protected override void Csv(TextWriter w, ExportGgufHandler.Exported e)
    {
        Reports.Csv.Write(w, ["model", "architecture", "file", "tensors", "bytes"], [[e.Model, e.Architecture, e.File, e.Tensors, e.Bytes]]);
    }
}
