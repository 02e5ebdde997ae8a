using CoDesign.Machine;
using CoDesign.Reports;
using CoDesign.Schema;
using CoDesign.Schema.Quantization;

namespace CoDesign.Cli.Techniques;

/// <summary>The line under an analysis that states the weight format and the crossover rule it implies.</summary>
public static class FormatNotes
{
    public static string Describe(Schema.V1.Program p, int specK)
    {
        var f = WeightFormat.Of(p.Model);
        double b = f.BytesPerWeight(p.Model.HiddenSize);
        var d = new DeviceModel(p.Hardware);
        var x = FormatCrossover.For(d, p.Model.ActivationType, b, f.IsQuantised);
        string verify = specK > 0 ? $"; verify step of {specK} drafts: {specK + 1} query tokens per decoding request" : "";
        if (d.Pim is null) return $"weights {f.Label}: {Units.Ratio(b)} B per weight (K = hidden){verify}";
        string cross = x.DequantKeepsUp
            ? $"PIM wins below Op/B {Units.Ratio(x.OpPerByte)} = {Units.Ratio(x.TokensPerWeight)} tokens per weight"
            : $"the {d.Pim.Name} dequantiser cannot keep up with the {d.Host.Name}'s weight stream: quantised weights stay on the {d.Host.Name}";
        return $"weights {f.Label}: {Units.Ratio(b)} B per weight (K = hidden); {cross}{verify}";
    }
}
