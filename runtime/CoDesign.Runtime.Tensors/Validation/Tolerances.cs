using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Schema.V1;
using ModelConfig = CoDesign.Schema.V1.ModelConfig;

namespace CoDesign.Runtime.Tensors.Validation;

/// <summary>One K-term sum inside an operator and the gain applied to its error by what follows it.</summary>
public readonly record struct Reduction(double Length, double Gain = 1);

/// <summary>
/// Tolerances derived from the backend's number formats (<see cref="Precision"/>), not tuned to results.
/// Error measure: normwise relative error ‖ŷ − y‖∞ / ‖y‖∞ of an operator's output against the float64 reference
/// given the same inputs. For one K-term sum y = Σ w·x:
///  - rounding the two operands to a format with unit roundoff u_op perturbs each product by at most 2·u_op
///    relative; with independent signs the perturbations add like a random walk to about 2·u_op·‖y‖;
///  - accumulating in a format with unit roundoff u_acc, the rounding errors grow like √K·u_acc (the
///    probabilistic bound of Higham &amp; Mary, SIAM J. Sci. Comput. 41(5), 2019), plus u_acc for the result.
/// An operator chains reductions (FFN: gate/up over hidden, then down over intermediate; attention: scores over
/// head_dim, then the softmax-weighted sum over the context), and their bounds add:
///     tol = C · Σᵢ gainᵢ · (2·u_op + (1 + √Kᵢ)·u_acc),   C = 8.
/// C covers the constant of the probabilistic bound (which then holds with probability ≥ 1 − 2K·exp(−C²/2) per
/// element) and the gains ≤ ~1 of SiLU and softmax at the unit-scale activations RMSNorm produces. Attention
/// scores have their own gain <see cref="ScoreScale"/>: exp turns an absolute score error into a relative one.
/// </summary>
public static class Tolerances
{
    public const double C = 8;
    /// <summary>Bound on |score| = |q·k|/√d for RMS-normalised activations through projections with variance 1/fan_in.</summary>
    public const double ScoreScale = 8;

    public static double Bound(Precision p, params Reduction[] reductions) =>
        C * reductions.Sum(r => r.Gain * (2 * p.Operand + (1 + Math.Sqrt(r.Length)) * p.Accumulator));

    /// <summary>The reductions an operator of this model chains, for a context of at most maxContext positions.</summary>
    public static Reduction[] Reductions(OpKind op, ModelConfig c, int maxContext)
    {
        double h = c.HiddenSize, qDim = c.NumAttentionHeads * c.HeadDim;
        return op switch
        {
            OpKind.Norm or OpKind.QkvProjection or OpKind.LmHead => [new(h)],
            OpKind.OutputProjection => [new(qDim)],
            OpKind.Rope => [new(2)],
            OpKind.Attention => [new(c.HeadDim, ScoreScale), new(maxContext)],
            OpKind.Router => [new(h), new(c.NumExperts)],
            OpKind.Expert or OpKind.SharedExpert => [new(h), new(Math.Max(c.ExpertIntermediateSize, c.SharedExpertIntermediateSize))],
            _ => [new(h), new(c.IntermediateSize)],
        };
    }

    public static double For(OpKind op, ModelConfig c, int maxContext, Precision p) => Bound(p, Reductions(op, c, maxContext));

    /// <summary>
    /// Tolerance on the final logits, relative to their largest magnitude: to first order each operator's error
    /// enters the residual stream once and RMSNorm keeps the stream at unit scale, so the per-operator bounds along
    /// one token's path (every layer's operators, then the final norm and the LM head) add up. An operator kind
    /// that ran on the PIM side at least once (<paramref name="onPim"/>: the placement may differ from stage to
    /// stage) takes the coarser of the two precisions; the rest take the xPU's. Without <paramref name="onPim"/>,
    /// the docs/reference/duplex-spec.md §3 split: attention and expert FFNs on either side.
    /// </summary>
    public static double Logits(ModelConfig c, int maxContext, Precision xpu, Precision? pim = null, Func<OpKind, bool>? onPim = null) =>
        Logits(c, maxContext, _ => xpu, _ => pim ?? xpu, onPim);

    /// <summary>
    /// <see cref="Logits(ModelConfig, int, Precision, Precision?, Func{OpKind, bool}?)"/> with each side's
    /// precision per operator kind (<see cref="IBackend.PrecisionOf"/>: e.g. attention over an FP16 KV cache).
    /// </summary>
    public static double Logits(ModelConfig c, int maxContext, Func<OpKind, Precision> xpu, Func<OpKind, Precision> pim, Func<OpKind, bool>? onPim = null)
    {
        onPim ??= op => op is OpKind.Attention or OpKind.Expert or OpKind.SharedExpert;
        double Op(OpKind op) => For(op, c, maxContext, onPim(op) ? Precision.Max(xpu(op), pim(op)) : xpu(op));
        var perLayer = new[] { OpKind.Norm, OpKind.QkvProjection, OpKind.Rope, OpKind.Attention, OpKind.OutputProjection, OpKind.Norm };
        double sum = 0;
        for (int l = 0; l < c.NumLayers; l++)
        {
            sum += perLayer.Sum(Op);
            bool moe = c.NumExperts > 0 && (c.MoeLayers.Count == 0 || c.MoeLayers[l]);
            sum += moe ? Op(OpKind.Router) + Op(OpKind.Expert) : Op(OpKind.Ffn);
        }
        return sum + Op(OpKind.Norm) + Op(OpKind.LmHead);
    }
}
