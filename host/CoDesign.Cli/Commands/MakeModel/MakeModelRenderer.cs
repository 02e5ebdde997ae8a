using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli.Commands.MakeModel;

/// <summary>What <c>make-model</c> prints: the checkpoint written.</summary>
public sealed class MakeModelRenderer : Renderer<MakeModelHandler.MadeModel>
{
    protected override void Table(TextWriter w, MakeModelHandler.MadeModel m)
    {
        w.WriteLine($"wrote {m.Model} to {m.Directory}: {m.Tensors} {m.Dtype} tensors, {Units.Bytes(m.Bytes)} ({m.Weights}), seed {m.Seed}");
    }

    protected override void Csv(TextWriter w, MakeModelHandler.MadeModel m)
    {
        Reports.Csv.Write(w, ["model", "directory", "config", "weights", "dtype", "tensors", "bytes", "seed"],
            [[m.Model, m.Directory, m.Config, m.Weights, m.Dtype, m.Tensors, m.Bytes, m.Seed]]);
    }
}
