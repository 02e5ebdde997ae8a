// SPDX-License-Identifier: MIT
// Seconds of one local expert with t tokens on each side: the Program's offline table, the machine model beyond it.
using CoDesign.Machine.Stages;
using CoDesign.Schema.V1;

namespace CoDesign.Machine.Decisions;

/// <summary>
/// The expert latency both executions use (docs/reference/duplex-spec.md §3: Duplex looks expert times up in a table
/// built offline). Within the table a token count is truncated to whole tokens and looked up; beyond it the machine
/// model costs the expert directly (the table's rows are that same model, so there is no extrapolation to disagree).
/// Side 0 is the host (xPU or GPU), side 1 the PIM.
/// </summary>
public sealed class ExpertLatency
{
    /// <summary>Rows built here when the Program has no table (it always has one when it has experts).</summary>
    public const int DefaultMaxTokens = 1024;

    readonly OpTemplate? _expert;
    readonly ProcessorCost?[] _side;
    readonly double[][] _rows;
    readonly DataType _type;

    public int MaxTokens { get; }

    public ExpertLatency(Program program, DeviceModel device, DataType computeType)
    {
        _expert = program.LayerKinds.SelectMany(k => k.Ops).FirstOrDefault(o => o.Kind == OpKind.Expert);
        _side = [device.Host, device.Pim];
        _type = computeType;
        var table = program.ExpertTable;
        MaxTokens = table is null ? DefaultMaxTokens : (int)table.MaxTokens;
        _rows = new double[2][];
        if (_expert is null) return;
        for (int s = 0; s < 2; s++)
        {
            if (_side[s] is not { } proc) continue;
            int i = table?.Processors.IndexOf(proc.Name) ?? -1;
            _rows[s] = i >= 0
                ? [.. table!.Seconds.Skip(i * (MaxTokens + 1)).Take(MaxTokens + 1)]
                : [.. Enumerable.Range(0, MaxTokens + 1).Select(t => proc.Seconds(AffineEval.ExpertCounts(_expert, t), _type))];
        }
    }

    /// <summary>Seconds for one expert receiving <paramref name="tokens"/> tokens on <paramref name="side"/> (0 host, 1 PIM).</summary>
    public double Seconds(int side, double tokens)
    {
        int t = (int)tokens;
        if (t <= 0 || _expert is null) return 0;
        return t <= MaxTokens ? _rows[side][t] : _side[side]!.Seconds(AffineEval.ExpertCounts(_expert, tokens), _type);
    }
}
