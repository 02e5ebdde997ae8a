using System.Diagnostics;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>What a speculative run did: tokens per request, and how many draft proposals the target accepted.</summary>
public sealed record SpeculativeResult(IReadOnlyList<RequestResult> Requests, int SpecK, long Proposed, long Accepted,
    int VerifySteps, int DraftSteps, double WallSeconds)
{
    /// <summary>Accepted over proposed draft tokens (0 when nothing was proposed).</summary>
    public double AcceptanceRate => Proposed == 0 ? 0 : (double)Accepted / Proposed;
}

/// <summary>
/// Draft-then-verify with greedy verification (Leviathan et al. 2023, "Fast Inference from Transformers via
/// Speculative Decoding", the greedy case): per step the draft proposes up to k tokens one at a time; the target runs
/// its last committed token plus the k proposals as k+1 query rows in one batched step, accepts the longest prefix of
/// proposals equal to its own argmax, and appends its own next token; both KV caches are rolled back to the accepted
/// positions. Each committed token is the target's greedy choice given the committed prefix, so the output equals
/// plain greedy decoding of the target whenever its logits per row do not depend on how many rows share a step (true of
/// the cpu and gpu backends, whose products are per row). Requests run in groups of <c>max_batch</c>, each group to
/// completion (no joins mid-group: our simplification).
/// </summary>
public sealed class SpeculativeDecoder(InferenceEngine target, InferenceEngine draft, int specK, int maxBatch)
{
    public SpeculativeResult Run(IReadOnlyList<Request> requests, CancellationToken cancel = default)
    {
        if (specK < 1) throw new InputException($"{Setting.Ref("spec_k")} must be at least 1 with a draft model, got {specK}");
        if (maxBatch < 1) throw new InputException($"{Setting.Ref("max_batch")} must be at least 1");
        if (draft.Vocab != target.Vocab)
            throw new InputException($"the draft model's vocabulary has {draft.Vocab} tokens, the target's {target.Vocab}: speculative decoding needs the same vocabulary");
        foreach (var r in requests)
        {
            if (r.Prompt.Length == 0 || r.MaxNewTokens < 1) throw new InputException($"request {r.Id}: empty prompt or no tokens to generate");
            if (r.Prompt.Any(t => t < 0 || t >= target.Vocab)) throw new InputException($"request {r.Id}: a token id is outside the vocabulary [0, {target.Vocab})");
        }
        var sw = Stopwatch.StartNew();
        var done = new List<RequestResult>();
        long proposed = 0, accepted = 0;
        int verify = 0, drafts = 0, stage = 0;
        foreach (var group in requests.Chunk(maxBatch))
        {
            var seqs = group.Select(r => new Seq(r, target, draft)).ToList();
            int start = stage;
            // Prefill both models; the target's first token is plain greedy.
            var tl = target.Step([.. seqs.Select(s => new InferenceEngine.Work(s.Target, s.Request.Prompt, true, false))]);
            draft.Step([.. seqs.Select(s => new InferenceEngine.Work(s.Draft, s.Request.Prompt, true, false))]);
            for (int i = 0; i < seqs.Count; i++) seqs[i].Generated.Add(Argmax(tl, i, target.Vocab));
            stage++;
            while (seqs.Any(s => !s.Finished))
            {
                cancel.ThrowIfCancellationRequested();
                var live = seqs.Where(s => !s.Finished).ToList();
                // Never propose past the last token a request may take.
                var k = live.Select(s => Math.Min(specK, s.Request.MaxNewTokens - s.Generated.Count - 1)).ToArray();
                var proposals = live.Select(_ => new List<int>()).ToArray();
                for (int j = 0; j < k.Max(); j++)
                {
                    var idx = Enumerable.Range(0, live.Count).Where(i => proposals[i].Count < k[i]).ToList();
                    var dl = draft.Step([.. idx.Select(i => new InferenceEngine.Work(live[i].Draft,
                        j == 0 ? live[i].DraftPending() : [proposals[i][^1]], false, false))]);
                    for (int m = 0; m < idx.Count; m++) proposals[idx[m]].Add(Argmax(dl, m, draft.Vocab));
                    drafts++;
                }
                var lengths = live.Select(s => s.Target.Length).ToArray();
                var vl = target.Step([.. live.Select((s, i) => new InferenceEngine.Work(s.Target, [s.Generated[^1], .. proposals[i]], false, true))]);
                verify++;
                int row = 0;
                for (int i = 0; i < live.Count; i++)
                {
                    var s = live[i];
                    var pred = Enumerable.Range(0, k[i] + 1).Select(j => Argmax(vl, row + j, target.Vocab)).ToArray();
                    row += k[i] + 1;
                    int a = 0;
                    while (a < k[i] && proposals[i][a] == pred[a]) a++;
                    proposed += k[i]; accepted += a;
                    s.Generated.AddRange(proposals[i].Take(a));
                    s.Generated.Add(pred[a]);
                    // Target: keep the last committed token's row and the accepted proposals' rows.
                    s.Target.Truncate(lengths[i] + 1 + a);
                    // Draft: it fed its pending tokens and the first k−1 proposals; keep those still committed.
                    if (k[i] > 0) s.Draft.Truncate(s.DraftFedUpTo(Math.Min(a, k[i] - 1)));
                    if (s.Finished) s.FinishedAt = stage;
                }
                stage++;
            }
            foreach (var s in seqs)
                done.Add(new RequestResult(s.Request.Id, s.Request.Prompt.Length, [.. s.Generated], [], [], start, s.FinishedAt));
        }
        return new SpeculativeResult([.. done.OrderBy(d => d.Id)], specK, proposed, accepted, verify, drafts, sw.Elapsed.TotalSeconds);
    }

    sealed class Seq(Request r, InferenceEngine target, InferenceEngine draft)
    {
        public Request Request { get; } = r;
        public KvCache Target { get; } = new(r.Id, target.Layers, r.Prompt.Length + r.MaxNewTokens, target.KvRowWidth);
        public KvCache Draft { get; } = new(r.Id, draft.Layers, r.Prompt.Length + r.MaxNewTokens, draft.KvRowWidth);
        public List<int> Generated { get; } = [];
        public int FinishedAt { get; set; }
        public bool Finished => Generated.Count >= Request.MaxNewTokens;
        int _draftStart, _pendingAtDraft;

        /// <summary>Committed tokens the draft's cache does not hold yet (one, or two after a fully accepted step).</summary>
        public int[] DraftPending()
        {
            var all = Request.Prompt.Concat(Generated).ToArray();
            _draftStart = Draft.Length;
            _pendingAtDraft = all.Length - Draft.Length;
            return all[Draft.Length..];
        }

        /// <summary>The draft cache length that keeps its pending tokens and the first <paramref name="proposals"/> proposals fed this step.</summary>
        public int DraftFedUpTo(int proposals) => _draftStart + _pendingAtDraft + proposals;
    }

    /// <summary>Greedy choice of logits row <paramref name="row"/>: the highest logit, lowest id on ties (as the engine).</summary>
    static int Argmax(double[] logits, int row, int vocab)
    {
        var span = logits.AsSpan(row * vocab, vocab);
        int best = 0;
        for (int i = 1; i < vocab; i++) if (span[i] > span[best]) best = i;
        return best;
    }
}
