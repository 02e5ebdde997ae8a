using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Validation;

namespace CoDesign.Runtime.Tensors.Tests.Backends;

/// <summary>
/// The strict greedy-token rule of <see cref="Validator.CompareTokens(RequestResult, RequestResult, double, double[], double[])"/>:
/// a differing token is excused only by the logit difference measured at that step, never by the (loose) bound alone.
/// </summary>
public class StrictTieRuleTests
{
    // Reference: token 0 wins over token 1 by `margin`; logits scale 10.
    static RequestResult Ref(double margin) => new(0, 3, [0, 5], [margin, 1], [10, 10], 0, 1);
    static RequestResult Cand() => new(0, 3, [1, 5], [0.1, 1], [10, 10], 0, 1);
    static double[] Logits(double l0, double l1) => [l0, l1, -10, 3];

    [Test]
    public void DecisiveMarginIsAMismatchEvenWithinTheLooseBound()
    {
        // The old rule excused any margin up to 2·logitTol·max|logit| = 2·0.05·10 = 1; here 0.5 is decisive
        // because the candidate's logits differ from the reference's by only 1e-3.
        var t = Validator.CompareTokens(Ref(0.5), Cand(), 0.05, Logits(2.5, 2.0), Logits(2.499, 2.001));
        Assert.That(t.Verdict, Is.EqualTo("mismatch"), t.Reason);
        Assert.That(Validator.CompareTokens(Ref(0.5), Cand(), 0.05).Verdict, Is.EqualTo("tie"), "the bound-only rule it replaces");
    }

    [Test]
    public void MarginWithinTwiceTheMeasuredDifferenceIsATie()
    {
        var t = Validator.CompareTokens(Ref(1e-3), Cand(), 0.05, Logits(2.001, 2.0), Logits(2.0, 2.0011));
        Assert.That(t.Verdict, Is.EqualTo("tie"));
        Assert.That(t.Reason, Does.Contain("measured logit difference"));
        Assert.That(t.MarginTolerance, Is.EqualTo(2 * 1.1e-3).Within(1e-12));
    }

    [Test]
    public void DifferenceBeyondTheBoundIsAMismatchWhateverTheMargin()
    {
        // A bug that moves logits by 2 (above 0.05·10 = 0.5) cannot be called rounding, even at a tiny margin.
        var t = Validator.CompareTokens(Ref(1e-6), Cand(), 0.05, Logits(2.0, 2.0), Logits(0.0, 2.0));
        Assert.That(t.Verdict, Is.EqualTo("mismatch"));
        Assert.That(t.Reason, Does.Contain("exceeds the derived bound"));
    }

    [Test]
    public void IdenticalTokensMatch() =>
        Assert.That(Validator.CompareTokens(Ref(0.5), Ref(0.5), 0.05, Logits(2.5, 2), Logits(2.5, 2)).Verdict, Is.EqualTo("match"));
}
