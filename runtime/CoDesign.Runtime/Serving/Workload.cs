using System.Globalization;
using CoDesign.Schema;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace CoDesign.Runtime.Serving;

/// <summary>Builds the request list: generated (fixed or Gaussian lengths, Poisson arrivals) or read from a CSV trace.</summary>
public static class Workload
{
    public static List<Request> Generate(WorkloadOptions o, int count, System.Random rng)
    {
        if (o.TraceCsv is not null) return ReadTrace(o.TraceCsv, o.Requests);
        var list = new List<Request>(count);
        double t = 0;
        for (int i = 0; i < count; i++)
        {
            // Open loop: exponential gaps give Poisson arrivals; closed loop: arrival is set when a slot frees.
            if (o.Qps is { } qps) t += Exponential.Sample(rng, qps);
            list.Add(new Request(i, o.Qps is null ? 0 : t, Length(o.InputLen, o.LengthStd, rng), Length(o.OutputLen, o.LengthStd, rng)));
        }
        return list;
    }

    static int Length(int mean, double stdFraction, System.Random rng) =>
        stdFraction <= 0 ? mean : Math.Max(1, (int)Math.Round(Normal.Sample(rng, mean, stdFraction * mean)));

    public static List<Request> ReadTrace(string path, int? limit)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InputException($"cannot read trace {path}: {e.Message}"); }
        var list = new List<Request>();
        int start = lines.Length > 0 && lines[0].Contains("arrival", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        double last = 0;
        for (int i = start; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var f = lines[i].Split(',');
            if (f.Length != 3
                || !double.TryParse(f[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var arrival) || !double.IsFinite(arrival) || arrival < 0
                || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var input) || input < 1
                || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var output) || output < 1)
                throw new InputException($"trace {path} line {i + 1}: expected arrival_s,input_len,output_len with arrival >= 0 and lengths >= 1, got '{lines[i]}'");
            if (arrival < last) throw new InputException($"trace {path} line {i + 1}: arrivals must not go back in time ({arrival} < {last})");
            last = arrival;
            list.Add(new Request(list.Count, arrival, input, output));
            if (limit is { } l && list.Count >= l) break;
        }
        if (list.Count == 0) throw new InputException($"trace {path} has no requests");
        return list;
    }

    public static System.Random Rng(ulong seed, ulong stream) =>
        new Xoshiro256StarStar((int)(uint)((seed * 0x9E3779B97F4A7C15UL ^ stream * 0xD1B54A32D192ED03UL) >> 17), threadSafe: false);
}
