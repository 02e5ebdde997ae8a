using System.Numerics.Tensors;

namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>Between the engine's float64 tensors and the FP32 backends (round to nearest, as a cast does).</summary>
public static class FloatArrays
{
    public static float[] Narrow(double[] x)
    {
        var f = new float[x.Length];
        TensorPrimitives.ConvertTruncating<double, float>(x, f);
        return f;
    }

    public static double[] Widen(float[] f)
    {
        var d = new double[f.Length];
        TensorPrimitives.ConvertTruncating<float, double>(f, d);
        return d;
    }
}
