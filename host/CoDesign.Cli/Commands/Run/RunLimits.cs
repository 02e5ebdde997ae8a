using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Schema;
using CoDesign.Schema.Validation;

namespace CoDesign.Cli.Commands.Run;

/// <summary>
/// The work 'run' and 'validate' accept (docs/input-limits.md): they execute real tensors on the CPU, so every
/// token costs a full forward pass. Our bounds keep a run inside minutes on the 2-core container for the tiny
/// presets and refuse up front what would take hours (a 100k-token prompt attends quadratically).
/// </summary>
public static class RunLimits
{
    public static readonly Limit NewTokens = Limit.Int(1, 4096, "tokens");
    public static readonly Limit PromptTokens = Limit.Int(1, 4096, "tokens");
    public static readonly Limit Batch = Limit.Int(1, 256, "requests");
    public const int MaxPrompts = 1024;
    /// <summary>All prompt and generated tokens of a run together.</summary>
    public const long MaxTotalTokens = 1 << 20;

    public static void CheckNewTokens(int n) => NewTokens.Check(n, "--max-new-tokens", "run");

    // Below 1 is left to the engine, which says so in its own words.
    public static void CheckBatch(int n) { if (n > Batch.Max) Batch.Check(n, "--max-batch", "run"); }

    public static void CheckRequests(IReadOnlyList<Request> requests, string where)
    {
        if (requests.Count > MaxPrompts) throw new InputException($"{where}: {requests.Count} prompts, more than the {MaxPrompts} one run may take");
        long total = 0;
        foreach (var r in requests)
        {
            if (!PromptTokens.Allows(r.Prompt.Length))
                throw new InputException($"{where}: prompt {r.Id + 1} has {r.Prompt.Length} tokens (expected {PromptTokens.Text})");
            total += r.Prompt.Length + (long)r.MaxNewTokens;
        }
        if (total > MaxTotalTokens)
            throw new InputException($"{where}: {total} prompt and generated tokens in all, more than the {MaxTotalTokens} one run may process (fewer prompts or --max-new-tokens)");
    }
}
