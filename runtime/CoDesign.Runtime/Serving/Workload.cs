using System.Globalization;
using CoDesign.Runtime.Serving.Validation;
using CoDesign.Schema;
using CoDesign.Schema.Validation;
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

    // Clamped in floating point before the cast, so a wide spread cannot wrap to a negative or huge length.
    static int Length(int mean, double stdFraction, System.Random rng) =>
        stdFraction <= 0 ? mean : (int)Math.Clamp(Math.Round(Normal.Sample(rng, mean, stdFraction * mean)), 1, WorkloadLimits.MaxTokens);

    /// <summary>
    /// A CSV trace: a header naming arrival_s (or arrival), input_len and output_len in any order, optionally
    /// prefix_group (any text naming the shared prefix a prompt starts with; empty: none) with prefix_len (its tokens),
    /// other columns ignored; or no header and those three first. Rows may come in any order: they are sorted by arrival
    /// (stably, so equal arrivals keep file order). Lengths and the row count have the ranges of <see cref="WorkloadLimits"/>.
    /// </summary>
    public static List<Request> ReadTrace(string path, int? limit)
    {
        var lines = InputFiles.ReadLines(path, "trace", InputFiles.MaxTableBytes);
        string where = $"trace {path}";
        int start = 0, cArrival = 0, cInput = 1, cOutput = 2, cGroup = -1, cPrefix = -1;
        int first = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        if (first >= 0 && lines[first].Contains("arrival", StringComparison.OrdinalIgnoreCase))
        {
            var names = lines[first].Split(',').Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToList();
            int Col(params string[] keys) => keys.Select(k => names.IndexOf(k)).FirstOrDefault(i => i >= 0, -1) is var c and >= 0 ? c
                : throw new InputException($"{where} line {first + 1}: the header has no '{keys[0]}' column (need arrival_s, input_len, output_len; others are ignored)");
            (cArrival, cInput, cOutput, start) = (Col("arrival_s", "arrival"), Col("input_len", "input_tokens", "prompt_len"), Col("output_len", "output_tokens"), first + 1);
            (cGroup, cPrefix) = (names.IndexOf("prefix_group"), names.IndexOf("prefix_len"));
            if ((cGroup < 0) != (cPrefix < 0))
                throw new InputException($"{where} line {first + 1}: prefix_group and prefix_len go together (a named prefix and its length in tokens)");
        }
        int need = new[] { cArrival, cInput, cOutput, cGroup, cPrefix }.Max() + 1;
        var rows = new List<(double Arrival, int Input, int Output, int Group, int Prefix)>();
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = start; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var f = lines[i].Split(',');
            if (f.Length < need
                || !double.TryParse(f[cArrival].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var arrival) || !double.IsFinite(arrival) || arrival < 0 || arrival > MaxArrivalS
                || !int.TryParse(f[cInput].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var input) || !WorkloadLimits.Tokens.Allows(input)
                || !int.TryParse(f[cOutput].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var output) || !WorkloadLimits.Tokens.Allows(output))
                throw new InputException($"{where} line {i + 1}: expected arrival_s,input_len,output_len with arrival in [0, {MaxArrivalS:0e+0}] s " +
                    $"and lengths in [1, {WorkloadLimits.MaxTokens}], got {InputText.Quote(lines[i])}");
            if (rows.Count >= WorkloadLimits.Requests.Max)
                throw new InputException($"{where}: more than {WorkloadLimits.Requests.Max} requests (the most one run may simulate)");
            int group = -1, prefix = 0;
            if (cGroup >= 0 && f[cGroup].Trim().Trim('"') is { Length: > 0 } name)
            {
                if (!int.TryParse(f[cPrefix].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix < 1 || prefix > input)
                    throw new InputException($"{where} line {i + 1}: prefix_len must be a whole number of tokens in [1, input_len = {input}] " +
                        $"for prefix_group {InputText.Quote(name)}, got {InputText.Quote(f[cPrefix].Trim())}");
                if (!groups.TryGetValue(name, out group)) groups[name] = group = groups.Count;
            }
            rows.Add((arrival, input, output, group, prefix));
        }
        if (rows.Count == 0) throw new InputException($"{where} has no requests");
        // OrderBy is stable: equal arrivals keep their file order.
        var sorted = rows.OrderBy(r => r.Arrival).Take(limit ?? int.MaxValue).ToList();
        return sorted.Select((r, i) => new Request(i, r.Arrival, r.Input, r.Output) { TracePrefixGroup = r.Group, TracePrefixLen = r.Prefix }).ToList();
    }

    /// <summary>A trace may span at most a year of arrivals (our bound: keeps every time sum finite and exact enough).</summary>
    public const double MaxArrivalS = 3.2e7;

    public static System.Random Rng(ulong seed, ulong stream) =>
        new Xoshiro256StarStar((int)(uint)((seed * 0x9E3779B97F4A7C15UL ^ stream * 0xD1B54A32D192ED03UL) >> 17), threadSafe: false);
}
