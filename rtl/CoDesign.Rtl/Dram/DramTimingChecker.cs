// SPDX-License-Identifier: Apache-2.0
// Independent checker of bank-bundle command timing: state plus the earliest legal cycle of each command.
namespace CoDesign.Rtl.Dram;

/// <summary>
/// Replays commands in order and refuses any that breaks a timing rule or the bank state. <see cref="Probe"/>
/// only asks (Ramulator's "probe" vs "issue" split); <see cref="Issue"/> changes state and throws when illegal.
/// </summary>
public sealed class DramTimingChecker
{
    const long Never = long.MinValue / 4;
    readonly BankBundleTiming _t;
    readonly bool[] _open;
    readonly int[] _row;
    readonly long[] _act, _pre, _rd, _refDone;
    long _lastAct = Never, _lastRd = Never, _now = Never;

    public DramTimingChecker(BankBundleTiming t, int bundles)
    {
        _t = t;
        _open = new bool[bundles];
        _row = new int[bundles];
        _act = Fill(bundles); _pre = Fill(bundles); _rd = Fill(bundles); _refDone = Fill(bundles);
    }

    static long[] Fill(int n) { var a = new long[n]; Array.Fill(a, Never); return a; }

    /// <summary>Null when <paramref name="c"/> may issue now; otherwise the rule it breaks.</summary>
    public string? Probe(DramCommand c)
    {
        int b = c.Bundle;
        if (b < 0 || b >= _open.Length) return $"bundle {b} does not exist";
        if (c.Cycle < _now) return "commands out of order";
        if (c.Cycle == _now) return "two commands in one cycle";
        long t = c.Cycle;
        return c.Kind switch
        {
            DramCommandKind.Activate =>
                _open[b] ? "ACT to an open bundle"
                : t < _pre[b] + _t.Rp ? "ACT before tRP"
                : t < _act[b] + _t.Rc ? "ACT before tRC"
                : t < _lastAct + _t.Rrd ? "ACT before tRRD"
                : t < _refDone[b] ? "ACT before tRFC" : null,
            DramCommandKind.Read =>
                !_open[b] ? "RD to a closed bundle"
                : _row[b] != c.Row ? "RD to a row that is not open"
                : t < _act[b] + _t.Rcd ? "RD before tRCD"
                : t < _lastRd + _t.Ccd ? "RD before tCCD_L" : null,
            DramCommandKind.Precharge =>
                !_open[b] ? "PRE to a closed bundle"
                : t < _act[b] + _t.Ras ? "PRE before tRAS"
                : t < _rd[b] + _t.Rtp ? "PRE before tRTP" : null,
            DramCommandKind.Refresh =>
                _open[b] ? "REF to an open bundle"
                : t < _pre[b] + _t.Rp ? "REF before tRP"
                : t < _refDone[b] ? "REF before the previous tRFC ended" : null,
            _ => "unknown command",
        };
    }

    public void Issue(DramCommand c)
    {
        if (Probe(c) is string why) throw new RtlException($"illegal DRAM command at cycle {c.Cycle}: {why}");
        int b = c.Bundle;
        _now = c.Cycle;
        switch (c.Kind)
        {
            case DramCommandKind.Activate: _open[b] = true; _row[b] = c.Row; _act[b] = c.Cycle; _lastAct = c.Cycle; break;
            case DramCommandKind.Read: _rd[b] = c.Cycle; _lastRd = c.Cycle; break;
            case DramCommandKind.Precharge: _open[b] = false; _pre[b] = c.Cycle; break;
            case DramCommandKind.Refresh: _refDone[b] = c.Cycle + _t.Rfc; break;
        }
    }

    /// <summary>Checks a whole log; returns the first violation or null.</summary>
    public static string? FirstViolation(IEnumerable<DramCommand> log, BankBundleTiming t, int bundles)
    {
        var chk = new DramTimingChecker(t, bundles);
        foreach (var c in log)
        {
            if (chk.Probe(c) is string why) return $"cycle {c.Cycle} {c.Kind}: {why}";
            chk.Issue(c);
        }
        return null;
    }
}
