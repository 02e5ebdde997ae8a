using CoDesign.Runtime.Tensors.Backends;
using ModelConfig = CoDesign.Schema.V1.ModelConfig;

namespace CoDesign.Runtime.Tensors.Validation;

/// <summary>
/// Tolerances derived from the backend's number format, not tuned to results.
/// Error measure: normwise relative error ‖ŷ − y‖∞ / ‖y‖∞ of an operator's output against the float64 reference
/// given the same inputs. For an output that is a K-term sum computed with unit roundoff u, the rounding errors
/// behave like a random walk and grow like √K·u (the probabilistic bound of Higham &amp; Mary, SIAM J. Sci.
/// Comput. 41(5), 2019); rounding the inputs and the result adds about u each. An operator that chains
/// reductions (FFN: gate/up over hidden, down over intermediate; attention: scores over head_dim, then the
/// softmax-weighted sum over the context) adds their terms. The bound is
///     tol = C·(2 + Σᵢ √Kᵢ)·u,   C = 8
/// where C covers the constant of the probabilistic bound (it holds with probability ≥ 1 − 2·exp(−C²/2)·K per
/// element) and the gain of the nonlinearities in between (SiLU and softmax have gains ≤ ~1 at the unit-scale
/// activations RMSNorm produces; attention scores are additionally multiplied by their magnitude before the exp,
/// which <see cref="ScoreScale"/> bounds).
/// </summary>
public static class Tolerances
{
    public const double C = 8;
    /// <summary>
    /// A bound on |score| = |q·k|/√d for RMS-normalised activations through random projections: exp(s) turns an
    /// absolute score error δ into a relative error δ of the probability, and δ ≈ |s|·(relative error of s).
    /// </summary>
    public const double ScoreScale = 8;

    public static double Bound(double unitRoundoff, params double[] reductionLengths) =>
        C * (2 + reductionLengths.Sum(Math.Sqrt)) * unitRoundoff;

    /// <summary>The reduction lengths an operator of this model chains, for a context of at most maxContext positions.</summary>
    public static double[] Reductions(OpKind op, ModelConfig c, int maxContext)
    {
        double h = c.HiddenSize, qDim = c.NumAttentionHeads * c.HeadDim;
        return op switch
        {
            OpKind.RmsNorm => [h],
            OpKind.QkvProj or OpKind.LmHead => [h],
            OpKind.OutProj => [qDim],
            OpKind.Rope => [2],
            OpKind.Attention => [ScoreScale * ScoreScale * c.HeadDim, maxContext],
            OpKind.Router => [h, c.NumExperts],
            OpKind.ExpertFfn => [h, Math.Max(c.ExpertIntermediateSize, c.SharedExpertIntermediateSize)],
            _ => [h, c.IntermediateSize],
        };
    }

    public static double For(OpKind op, ModelConfig c, int maxContext, double unitRoundoff) =>
        Bound(unitRoundoff, Reductions(op, c, maxContext));

    /// <summary>
    /// Tolerance on the final logits, relative to their largest magnitude: to first order each operator's error
    /// enters the residual stream once and RMSNorm keeps the stream at unit scale, so the per-operator bounds along
    /// one token's path (every layer's operators, then the final norm and the LM head) add up.
    /// </summary>
    public static double Logits(ModelConfig c, int maxContext, double unitRoundoff)
    {
        var perLayer = new[] { OpKind.RmsNorm, OpKind.QkvProj, OpKind.Rope, OpKind.Attention, OpKind.OutProj, OpKind.RmsNorm };
        double sum = 0;
        for (int l = 0; l < c.NumLayers; l++)
        {
            sum += perLayer.Sum(op => For(op, c, maxContext, unitRoundoff));
            bool moe = c.NumExperts > 0 && (c.MoeLayers.Count == 0 || c.MoeLayers[l]);
            sum += moe ? For(OpKind.Router, c, maxContext, unitRoundoff) + For(OpKind.ExpertFfn, c, maxContext, unitRoundoff)
                       : For(OpKind.DenseFfn, c, maxContext, unitRoundoff);
        }
        return sum + For(OpKind.RmsNorm, c, maxContext, unitRoundoff) + For(OpKind.LmHead, c, maxContext, unitRoundoff);
    }
}
