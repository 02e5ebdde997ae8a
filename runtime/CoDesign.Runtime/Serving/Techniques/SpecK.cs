using System.Globalization;
using CoDesign.Runtime.Serving.Validation;
using CoDesign.Schema;

namespace CoDesign.Runtime.Serving.Techniques;

/// <summary>Parses --spec-k: a fixed draft length N, or "adaptive[:N]" (k chosen per stage in 0..N, N = 4 by default).</summary>
public static class SpecK
{
    public const int DefaultAdaptiveMax = 4;

    public static (int K, bool Adaptive) Parse(string? text)
    {
        if (text is null) return (0, false);
        var t = text.Trim().ToLowerInvariant();
        bool adaptive = t.StartsWith("adaptive", StringComparison.Ordinal);
        var number = adaptive ? (t.Length > 8 && t[8] == ':' ? t[9..] : t.Length == 8 ? null : "x") : t;
        if (number is null) return (DefaultAdaptiveMax, true);
        if (!int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int k))
            throw new InputException($"{Setting.Ref("spec_k")}: '{text}' is not a whole number or adaptive[:N]");
        TechniqueLimits.SpecK.Check(k, Setting.Ref("spec_k"), "speculation");
        return (k, adaptive);
    }

    /// <summary>--spec-accept: one rate, or a comma-separated rate per draft position.</summary>
    public static (double Rate, IReadOnlyList<double>? Profile) ParseAccept(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var rates = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            ? a : throw new InputException($"{Setting.Ref("spec_accept")}: '{p}' is not a number")).ToArray();
        if (rates.Length > TechniqueLimits.MaxSpecK)
            throw new InputException($"{Setting.Ref("spec_accept")}: {rates.Length} rates, more than the {TechniqueLimits.MaxSpecK} draft positions {Setting.Ref("spec_k")} allows");
        foreach (var a in rates) TechniqueLimits.Accept.Check(a, Setting.Ref("spec_accept"), "speculation");
        return rates.Length == 1 ? (rates[0], null) : (rates[0], rates);
    }
}
