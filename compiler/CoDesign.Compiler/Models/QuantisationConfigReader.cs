using System.Text.Json;
using CoDesign.Schema;
using CoDesign.Schema.Quantization;
using CoDesign.Schema.V1;
using CoDesign.Schema.Validation;

namespace CoDesign.Compiler.Models;

/// <summary>
/// Reads a Hugging Face quantization_config into the weight type and group size: GPTQ and AWQ ("bits" 4 or 8,
/// "group_size", -1 meaning GPTQ's per-channel, which becomes 0) and FP8 ("quant_method": "fp8", one scale per output
/// channel). Any other method (bitsandbytes, HQQ, EETQ, ...) stores weights in a layout the byte model does not count,
/// so it is refused naming the key. The analytic verbs model what is read; the tensor verbs refuse quantised weights
/// (TensorRunInputs.LoadWeights).
/// </summary>
static class QuantisationConfigReader
{
    static readonly string[] Methods = ["gptq", "awq", "fp8"];

    public static void Apply(JsonElement q, ModelConfig m, string origin)
    {
        string Bad(string why) => $"{origin}: field 'quantization_config' {why}";
        if (q.ValueKind != JsonValueKind.Object) throw new InputException(Bad("must be an object"));
        string method = q.TryGetProperty("quant_method", out var mv) && mv.ValueKind == JsonValueKind.String ? mv.GetString()!.ToLowerInvariant() : "";
        if (!Methods.Contains(method))
            throw new InputException(Bad($"has quant_method {InputText.Quote(method)}, which is not modelled (expected one of {string.Join(", ", Methods)})"));
        m.QuantMethod = method;
        if (q.TryGetProperty("checkpoint_format", out var cf) && cf.ValueKind == JsonValueKind.String) m.QuantCheckpointFormat = cf.GetString()!.ToLowerInvariant();
        if (method == "fp8")
        {
            m.WeightType = DataType.Fp8;
            m.QuantGroupSize = 0;
        }
        else
        {
            if (!q.TryGetProperty("bits", out var bv) || !bv.TryGetInt32(out int bits))
                throw new InputException(Bad($"({method}) has no integer 'bits'"));
            m.WeightType = bits switch
            {
                4 => DataType.Int4,
                8 => DataType.Int8,
                _ => throw new InputException(Bad($"bits = {bits} is not modelled (expected 4 or 8)")),
            };
            if (q.TryGetProperty("group_size", out var gv) && gv.ValueKind != JsonValueKind.Null)
            {
                if (!gv.TryGetInt32(out int g) || g == 0 || g < -1 || g > Models.WeightQuantisation.MaxGroupSize)
                    throw new InputException(Bad($"group_size = {gv.GetRawText()} is not allowed (expected -1 for per channel, or an integer in [1, {Models.WeightQuantisation.MaxGroupSize}])"));
                m.QuantGroupSize = g == -1 ? 0u : (uint)g;
            }
        }
        m.Features.Add($"weights: {WeightFormat.Of(m).Label} from quantization_config ({method}; run and validate read GPTQ v1 checkpoints only)");
    }
}
