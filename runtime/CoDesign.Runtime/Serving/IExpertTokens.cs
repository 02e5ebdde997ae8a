// SPDX-License-Identifier: MIT
// Where a stage's tokens per expert come from: drawn routing (simulate) or a replay of a real run.
namespace CoDesign.Runtime.Serving;

/// <summary>Fills the token-expert pairs each expert of one MoE layer receives in a stage.</summary>
public interface IExpertTokens
{
    /// <param name="tokens">the stage's tokens over all data-parallel replicas</param>
    /// <param name="k">experts per token</param>
    void Draw(int layer, long tokens, int k, Span<double> counts);
}
