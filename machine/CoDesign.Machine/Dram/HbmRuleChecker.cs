namespace CoDesign.Machine.Dram;

/// <summary>
/// Checks a command log against HBM3's timing rules written as a table, the way Ramulator 2 declares them
/// (preceding command, following command, scope, latency; src/dram/impl/HBM3.cpp, after JESD238A), independent
/// of how <see cref="HbmChannelSimulator"/> tracks its earliest-issue times. Also checks bank state (RD/WR to
/// the open row, ACT to a closed bank, refresh to closed banks), one row and one column command per cycle,
/// and the four-activation window.
/// </summary>
public sealed class HbmRuleChecker
{
    enum Scope { Bank, OtherBankSameGroup, SameGroup, OtherBankSameRank, SameRank, Channel }
    sealed record Rule(HbmCommandKind[] Prev, HbmCommandKind[] Next, Scope Scope, int Latency, string Name);

    static readonly HbmCommandKind[] Act = [HbmCommandKind.Act], Pre = [HbmCommandKind.Pre], Rd = [HbmCommandKind.Rd],
        Wr = [HbmCommandKind.Wr], RefSb = [HbmCommandKind.RefSb], RefAb = [HbmCommandKind.RefAb],
        Col = [HbmCommandKind.Rd, HbmCommandKind.Wr],
        Row = [HbmCommandKind.Act, HbmCommandKind.Pre, HbmCommandKind.RefSb, HbmCommandKind.RefAb];

    readonly DramGeometry _g;
    readonly HbmTiming _t;
    readonly Rule[] _rules;
    readonly int _window;
    readonly List<HbmCommand> _seen = [];
    readonly int[] _open;
    readonly List<long>[] _acts;

    public HbmRuleChecker(DramGeometry g, HbmTiming t)
    {
        _g = g; _t = t;
        _open = new int[g.Banks]; Array.Fill(_open, -1);
        _acts = Enumerable.Range(0, g.Ranks).Select(_ => new List<long>()).ToArray();
        _rules =
        [
            new(Act, Act, Scope.Bank, t.Rc, "tRC"), new(Act, Rd, Scope.Bank, t.RcdRd, "tRCD"), new(Act, Wr, Scope.Bank, t.RcdWr, "tRCDWR"),
            new(Act, Pre, Scope.Bank, t.Ras, "tRAS"), new(Pre, Act, Scope.Bank, t.Rp, "tRP"), new(Rd, Pre, Scope.Bank, t.RtpL, "tRTP"),
            new(Wr, Pre, Scope.Bank, t.WrToPre, "tWR"), new(Pre, RefSb, Scope.Bank, t.Rp, "tRP (REFsb)"),
            new(RefSb, Act, Scope.Bank, t.RfcSb, "tRFCsb"), new(RefSb, RefSb, Scope.Bank, t.RfcSb, "tRFCsb"),
            new(Act, Act, Scope.SameGroup, t.RrdL, "tRRD_L"), new(Rd, Rd, Scope.SameGroup, t.CcdL, "tCCD_L"),
            new(Wr, Wr, Scope.SameGroup, t.CcdL, "tCCD_L"), new(Wr, Rd, Scope.SameGroup, t.WrToRdL, "tWTR_L"),
            new(Act, RefSb, Scope.OtherBankSameGroup, t.RrdL + 1, "tRRD_L (REFsb)"), new(RefSb, Act, Scope.OtherBankSameGroup, t.RrdL - 1, "tRRD_L (REFsb)"),
            new(Act, Act, Scope.SameRank, t.RrdS, "tRRD_S"), new(Rd, Rd, Scope.SameRank, t.CcdS, "tCCD_S"), new(Wr, Wr, Scope.SameRank, t.CcdS, "tCCD_S"),
            new(Wr, Rd, Scope.SameRank, t.WrToRdS, "tWTR_S"), new(Rd, Wr, Scope.SameRank, t.RdToWr, "tRTW"),
            new(Act, RefSb, Scope.OtherBankSameRank, t.RrdS + 1, "tRRD_S (REFsb)"), new(RefSb, RefSb, Scope.OtherBankSameRank, t.Rrefd, "tRREFD"),
            new(RefSb, Act, Scope.OtherBankSameRank, t.Rrefd - 1, "tRREFD"),
            new(Act, RefAb, Scope.SameRank, t.Rc, "tRC (REFab)"), new(Pre, RefAb, Scope.SameRank, t.Rp, "tRP (REFab)"),
            new(RefAb, Act, Scope.SameRank, t.RfcAb, "tRFCab"), new(RefAb, RefAb, Scope.SameRank, t.RfcAb, "tRFCab"),
            new(Col, Col, Scope.Channel, g.BusCyclesPerAccess, "data path (nBL)"),
            new(Act, Row, Scope.Channel, t.ActCommandCycles, "2-cycle ACT"),
        ];
        _window = _rules.Max(r => r.Latency) + 1;
    }

    int RankOf(int bank) => bank / _g.BanksPerRank;
    int GroupOf(int bank) => bank / _g.BanksPerGroup;

    bool InScope(Scope s, int a, int b) => s switch
    {
        Scope.Bank => a == b,
        Scope.OtherBankSameGroup => a != b && GroupOf(a) == GroupOf(b),
        Scope.SameGroup => GroupOf(a) == GroupOf(b),
        Scope.OtherBankSameRank => a != b && RankOf(a) == RankOf(b),
        Scope.SameRank => RankOf(a) == RankOf(b),
        _ => true,
    };

    // REFab carries the rank's first bank; every bank of that rank is in its scope.
    bool Related(Scope s, HbmCommand prev, HbmCommand next)
    {
        if (prev.Kind == HbmCommandKind.RefAb || next.Kind == HbmCommandKind.RefAb)
            return s is Scope.SameRank or Scope.Channel ? RankOf(prev.Bank) == RankOf(next.Bank) || s == Scope.Channel : false;
        return InScope(s, prev.Bank, next.Bank);
    }

    /// <summary>Null when <paramref name="c"/> may issue after the commands seen so far, else the rule it breaks.</summary>
    public string? Probe(HbmCommand c)
    {
        if (c.Bank < 0 || c.Bank >= _g.Banks) return $"bank {c.Bank} does not exist";
        if (_seen.Count > 0 && c.Cycle < _seen[^1].Cycle) return "commands out of order";
        bool isRow = c.Kind is not (HbmCommandKind.Rd or HbmCommandKind.Wr);
        for (int i = _seen.Count - 1; i >= 0 && _seen[i].Cycle == c.Cycle; i--)
            if ((_seen[i].Kind is not (HbmCommandKind.Rd or HbmCommandKind.Wr)) == isRow)
                return isRow ? "two row commands in one cycle" : "two column commands in one cycle";
        switch (c.Kind)
        {
            case HbmCommandKind.Act when _open[c.Bank] >= 0: return "ACT to an open bank";
            case HbmCommandKind.Pre when _open[c.Bank] < 0: return "PRE to a closed bank";
            case HbmCommandKind.Rd or HbmCommandKind.Wr when _open[c.Bank] != c.Row: return $"{c.Kind} to a row that is not open";
            case HbmCommandKind.RefSb when _open[c.Bank] >= 0: return "REFsb to an open bank";
            case HbmCommandKind.RefAb:
                int first = RankOf(c.Bank) * _g.BanksPerRank;
                for (int b = first; b < first + _g.BanksPerRank; b++) if (_open[b] >= 0) return "REFab with a bank open";
                break;
        }
        if (c.Kind == HbmCommandKind.Act && _g.FawApplies)
        {
            var a = _acts[RankOf(c.Bank)];
            if (a.Count >= 4 && c.Cycle < a[^4] + _t.Faw) return "ACT before tFAW";
        }
        for (int i = _seen.Count - 1; i >= 0 && c.Cycle - _seen[i].Cycle < _window; i--)
        {
            var p = _seen[i];
            foreach (var r in _rules)
                if (c.Cycle - p.Cycle < r.Latency && Array.IndexOf(r.Next, c.Kind) >= 0 && Array.IndexOf(r.Prev, p.Kind) >= 0 && Related(r.Scope, p, c))
                    return $"{c.Kind} before {r.Name} (after {p.Kind} at cycle {p.Cycle})";
        }
        return null;
    }

    public void Issue(HbmCommand c)
    {
        if (Probe(c) is string why) throw new InvalidOperationException($"illegal HBM command at cycle {c.Cycle}: {why}");
        _seen.Add(c);
        switch (c.Kind)
        {
            case HbmCommandKind.Act: _open[c.Bank] = c.Row; _acts[RankOf(c.Bank)].Add(c.Cycle); break;
            case HbmCommandKind.Pre: _open[c.Bank] = -1; break;
        }
    }

    /// <summary>The first violation in a log, or null.</summary>
    public static string? FirstViolation(IEnumerable<HbmCommand> log, DramGeometry g, HbmTiming t)
    {
        var chk = new HbmRuleChecker(g, t);
        foreach (var c in log)
        {
            if (chk.Probe(c) is string why) return $"cycle {c.Cycle} {c.Kind} bank {c.Bank}: {why}";
            chk.Issue(c);
        }
        return null;
    }
}
