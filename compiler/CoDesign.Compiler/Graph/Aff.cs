using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Graph;

/// <summary>Builds <see cref="Affine"/> coefficient vectors: <c>Aff.Of((StageFeature.Tokens, 2.0 * h * n))</c>.</summary>
public static class Aff
{
    const int Features = 15;

    public static Affine Of(params (StageFeature f, double c)[] terms)
    {
        var a = new Affine();
        var c = new double[Features];
        foreach (var (f, k) in terms) c[(int)f] += k;
        int last = Array.FindLastIndex(c, v => v != 0);
        for (int i = 0; i <= last; i++) a.C.Add(c[i]);
        return a;
    }

    public static Affine Zero => new();
}
