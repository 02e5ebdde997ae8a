using System.Globalization;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Schema;
using CoDesign.Schema.Validation;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace CoDesign.Cli.Commands.Run;

/// <summary>
/// Requests that do not all start together or stop together, so that 'run' meets the stages continuous batching
/// makes: a request joining while others decode (a mixed stage: prefill on the xPU, decode attention on PIM, the two
/// overlapped under attention co-processing), and requests finishing at different stages.
/// </summary>
public static class RequestSchedule
{
    public static readonly string[] Header = ["arrival_stage", "max_new_tokens", "prompt"];
    /// <summary>Our bound: arrivals past this many stages only idle the engine.</summary>
    public static readonly Limit ArrivalStage = Limit.Int(0, 1_000_000, "stages");

    /// <summary>Reads a CSV schedule: <c>arrival_stage,max_new_tokens,prompt</c>, one request per line, ids in file order.</summary>
    public static List<Request> Read(string path)
    {
        var lines = InputFiles.ReadLines(path, "requests", InputFiles.MaxTableBytes);
        var rows = lines.Select((text, i) => (Text: text.Trim(), Line: i + 1)).Where(l => l.Text.Length > 0 && !l.Text.StartsWith('#')).ToList();
        if (rows.Count == 0) throw new InputException($"{path}: no header (expected {string.Join(',', Header)})");
        var header = rows[0].Text.Split(',').Select(h => h.Trim()).ToArray();
        if (!header.SequenceEqual(Header))
            throw new InputException($"{path}:{rows[0].Line}: header {InputText.Quote(rows[0].Text)} is not {string.Join(',', Header)}");
        var list = new List<Request>();
        foreach (var (text, line) in rows.Skip(1))
        {
            var cells = text.Split(',');
            if (cells.Length != 3) throw new InputException($"{path}:{line}: {cells.Length} fields, expected 3 ({string.Join(',', Header)})");
            int arrival = Int(cells[0], "arrival_stage", path, line);
            ArrivalStage.Check(arrival, "arrival_stage", $"{path}:{line}");
            int newTokens = Int(cells[1], "max_new_tokens", path, line);
            RunLimits.NewTokens.Check(newTokens, "max_new_tokens", $"{path}:{line}");
            var ids = cells[2].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length == 0) throw new InputException($"{path}:{line}: empty prompt");
            if (ids.Length > RunLimits.PromptTokens.Max)
                throw new InputException($"{path}:{line}: a prompt of {ids.Length} tokens (expected {RunLimits.PromptTokens.Text})");
            if (list.Count >= RunLimits.MaxPrompts) throw new InputException($"{path}: more than the {RunLimits.MaxPrompts} requests one run may take");
            list.Add(new Request(list.Count, ids.Select(s => Int(s, "prompt token id", path, line)).ToArray(), newTokens, arrival));
        }
        if (list.Count == 0) throw new InputException($"{path}: a header and no requests");
        return list;
    }

    /// <summary>
    /// Each request's tokens to generate drawn from a Gaussian around <paramref name="mean"/> (rounded, at least 1,
    /// at most the run limit), from its own stream of <paramref name="seed"/>, so prompts keep their seed.
    /// </summary>
    public static List<Request> VaryLengths(List<Request> requests, int mean, double std, ulong seed)
    {
        var rng = new MersenneTwister(unchecked((int)(seed ^ 0x1E46u)));
        return requests.Select(r => r with
        {
            MaxNewTokens = (int)Math.Clamp(Math.Round(Normal.Sample(rng, mean, std)), 1, RunLimits.NewTokens.Max),
        }).ToList();
    }

    static int Int(string text, string what, string path, int line) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
            : throw new InputException($"{path}:{line}: {what} {InputText.Quote(text.Trim())} is not a non-negative integer");
}
