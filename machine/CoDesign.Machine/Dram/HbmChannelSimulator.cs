namespace CoDesign.Machine.Dram;

/// <summary>How the controller runs: page policy, request-queue depth, whether to keep the command log.</summary>
/// <param name="QueueDepth">[D] 32 entries, Ramulator 2's GenericDRAMController default queue size.</param>
/// <param name="FirstArrivalCycle">The cycle the first request arrives; refresh counts from cycle 0, so a
/// stream can start part-way into a refresh interval (as a kernel does; the RTL cross-check needs it).</param>
public sealed record DramControllerOptions(bool OpenPage = true, int QueueDepth = 32, bool RecordLog = false, long FirstArrivalCycle = 0);

/// <summary>
/// A command-level model of one HBM3 pseudo-channel behind an FR-FCFS controller (Rixner et al., ISCA 2000):
/// row hits first, then the oldest request; one row command (ACT/PRE/REF) and one column command (RD/WR)
/// per cycle on HBM's separate row and column command buses [D JESD238A]. Open page keeps a row open until a
/// request needs another; closed page precharges a bank as soon as no queued request hits its row.
/// Refresh is due at fixed intervals (per bank every tREFI/banks, or per rank every tREFI for all-bank
/// refresh) and is never postponed: a bank with a due refresh takes no new column or ACT commands [I].
/// The frontend never starves the queue (a saturating stream), so the result is the path's own limit.
/// </summary>
public sealed class HbmChannelSimulator
{
    const long Never = long.MinValue / 4;
    readonly DramGeometry _g;
    readonly HbmTiming _t;
    readonly DramControllerOptions _o;
    readonly int _banks, _bgs, _ranks;
    // Earliest cycle each command may issue, by scope.
    readonly long[] _bAct, _bRd, _bWr, _bPre, _bRef, _bRefBusy;
    readonly int[] _bOpen;
    readonly long[] _gAct, _gRd, _gWr, _gRefSb;
    readonly long[] _rAct, _rRd, _rWr, _rRefSb, _rRefAb;
    readonly long[][] _faw;
    readonly int[] _fawNext;
    long _colNext, _rowBusNext;
    bool _lastWrite;

    struct Req { public long Arrival; public bool Write; public int Bank, Row, Col, Rank, Group; }
    readonly List<Req> _q = [];
    readonly Queue<(int Target, long Due)> _refPending = new();
    readonly List<HbmCommand>? _log;
    long _acts, _reads, _writes, _refs, _maxLate;
    readonly long[] _gap = new long[Enum.GetValues<DramGap>().Length];

    HbmChannelSimulator(DramGeometry g, HbmTiming t, DramControllerOptions o)
    {
        _g = g; _t = t; _o = o;
        _banks = g.Banks; _bgs = g.Ranks * g.BankGroups; _ranks = g.Ranks;
        _bAct = Fill(_banks); _bRd = Fill(_banks); _bWr = Fill(_banks); _bPre = Fill(_banks); _bRef = Fill(_banks); _bRefBusy = Fill(_banks);
        _bOpen = new int[_banks]; Array.Fill(_bOpen, -1);
        _gAct = Fill(_bgs); _gRd = Fill(_bgs); _gWr = Fill(_bgs); _gRefSb = Fill(_bgs);
        _rAct = Fill(_ranks); _rRd = Fill(_ranks); _rWr = Fill(_ranks); _rRefSb = Fill(_ranks); _rRefAb = Fill(_ranks);
        _faw = Enumerable.Range(0, _ranks).Select(_ => Fill(4)).ToArray();
        _fawNext = new int[_ranks];
        _colNext = Never; _rowBusNext = Never;
        _log = o.RecordLog ? [] : null;
    }

    static long[] Fill(int n) { var a = new long[n]; Array.Fill(a, Never); return a; }

    /// <summary>Runs <paramref name="pattern"/> to completion through one pseudo-channel.</summary>
    public static DramResult Run(DramGeometry g, HbmTiming t, AddressMapping map, AccessPattern pattern, DramControllerOptions? options = null)
    {
        var sim = new HbmChannelSimulator(g, t, options ?? new DramControllerOptions());
        return sim.Execute(map, pattern);
    }

    int RankOf(int bank) => bank / _g.BanksPerRank;
    int GroupOf(int bank) => bank / _g.BanksPerGroup;

    DramResult Execute(AddressMapping map, AccessPattern pattern)
    {
        long space = (long)_g.Banks * _g.Rows * _g.Columns;
        using var gen = pattern.Generate(space).GetEnumerator();
        bool more = gen.MoveNext();
        bool perBank = _g.Refresh == RefreshMode.PerBank, allBank = _g.Refresh == RefreshMode.AllBank;
        long refInterval = perBank ? Math.Max(1, _t.Refi / _banks) : Math.Max(1, _t.Refi / _ranks);
        long nextRefDue = _g.Refresh == RefreshMode.None ? long.MaxValue : refInterval;
        int refTarget = 0;
        // A watchdog, not a cost: four times the slowest path one access can take (row cycle, FAW, refresh, and a write's turnarounds).
        long limit = 1000 + Math.Max(0, _o.FirstArrivalCycle) + pattern.Accesses * ((long)_t.Rc + _t.Faw + _t.RfcAb + _t.RfcSb + _g.BusCyclesPerAccess + _t.Cl + _t.Cwl + _t.Bl + _t.Wr + _t.WtrL + _t.Rtw) * 4;
        long t = 0;
        for (; more || _q.Count > 0; t++)
        {
            if (t > limit) throw new InvalidOperationException($"DRAM model made no progress by cycle {t}");
            while (more && _q.Count < _o.QueueDepth && t >= _o.FirstArrivalCycle)
            {
                var (idx, wr) = gen.Current;
                var a = map.Map(idx);
                int bank = (a.Rank * _g.BankGroups + a.BankGroup) * _g.BanksPerGroup + a.Bank;
                _q.Add(new Req { Arrival = t, Write = wr, Bank = bank, Row = a.Row, Col = a.Column, Rank = a.Rank, Group = GroupOf(bank) });
                more = gen.MoveNext();
            }
            while (t >= nextRefDue)
            {
                _refPending.Enqueue((refTarget, nextRefDue));
                refTarget = (refTarget + 1) % (perBank ? _banks : _ranks);
                nextRefDue += refInterval;
            }
            bool dataFree = t >= _colNext;
            bool col = TryColumn(t);
            bool row = (allBank ? TryRefreshAllBank(t) : TryRefreshPerBank(t)) || TryRowForRequests(t) || (!_o.OpenPage && TryClosePage(t));
            _ = row;
            if (dataFree && !col) _gap[(int)(_q.Count == 0 ? DramGap.QueueEmpty : Blocker(_q[0], t))]++;
        }
        var gaps = Enum.GetValues<DramGap>().ToDictionary(g => g, g => _gap[(int)g]);
        return new DramResult(t, _reads, _writes, _acts, _refs, (double)(_reads + _writes) * _g.BytesPerAccess, _t.TckSeconds,
            _g.PeakBytesPerCycle, _g.PseudoChannels, gaps, _maxLate, _log);
    }

    bool RefreshBlocks(int bank)
    {
        foreach (var (target, _) in _refPending)
            if (_g.Refresh == RefreshMode.PerBank ? target == bank : target == RankOf(bank)) return true;
        return false;
    }

    bool HitsQueued(int bank, int row)
    {
        foreach (var r in _q) if (r.Bank == bank && r.Row == row) return true;
        return false;
    }

    bool ColumnReady(in Req r, long t) =>
        t >= _colNext && _bOpen[r.Bank] == r.Row && !RefreshBlocks(r.Bank) && (r.Write
            ? t >= _bWr[r.Bank] && t >= _gWr[r.Group] && t >= _rWr[r.Rank]
            : t >= _bRd[r.Bank] && t >= _gRd[r.Group] && t >= _rRd[r.Rank]);

    bool TryColumn(long t)
    {
        if (t < _colNext) return false;
        // First ready: a hit in the current direction first (fewer turnarounds), then any hit, oldest first.
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < _q.Count; i++)
            {
                var r = _q[i];
                if (pass == 0 && r.Write != _lastWrite) continue;
                if (!ColumnReady(r, t)) continue;
                IssueColumn(r, t);
                _q.RemoveAt(i);
                return true;
            }
        return false;
    }

    void IssueColumn(in Req r, long t)
    {
        int b = r.Bank, g = r.Group, k = r.Rank;
        _colNext = t + _g.BusCyclesPerAccess;
        if (r.Write)
        {
            _gWr[g] = Math.Max(_gWr[g], t + _t.CcdL); _rWr[k] = Math.Max(_rWr[k], t + _t.CcdS);
            _gRd[g] = Math.Max(_gRd[g], t + _t.WrToRdL); _rRd[k] = Math.Max(_rRd[k], t + _t.WrToRdS);
            _bPre[b] = Math.Max(_bPre[b], t + _t.WrToPre);
            _writes++;
        }
        else
        {
            _gRd[g] = Math.Max(_gRd[g], t + _t.CcdL); _rRd[k] = Math.Max(_rRd[k], t + _t.CcdS);
            _rWr[k] = Math.Max(_rWr[k], t + _t.RdToWr);
            _bPre[b] = Math.Max(_bPre[b], t + _t.RtpL);
            _reads++;
        }
        _lastWrite = r.Write;
        _log?.Add(new HbmCommand(t, r.Write ? HbmCommandKind.Wr : HbmCommandKind.Rd, b, r.Row, r.Col));
    }

    bool FawBlocks(int rank, long t) => _g.FawApplies && t < _faw[rank][_fawNext[rank]] + _t.Faw;

    bool CanAct(int b, long t)
    {
        int g = GroupOf(b), k = RankOf(b);
        return _bOpen[b] < 0 && t >= _rowBusNext && t >= _bAct[b] && t >= _gAct[g] && t >= _rAct[k] && !FawBlocks(k, t);
    }

    bool CanPre(int b, long t) => _bOpen[b] >= 0 && t >= _rowBusNext && t >= _bPre[b];

    void Act(int b, int row, long t)
    {
        int g = GroupOf(b), k = RankOf(b);
        _bOpen[b] = row;
        _bRd[b] = t + _t.RcdRd; _bWr[b] = t + _t.RcdWr; _bPre[b] = Math.Max(_bPre[b], t + _t.Ras); _bAct[b] = t + _t.Rc;
        _gAct[g] = Math.Max(_gAct[g], t + _t.RrdL); _rAct[k] = Math.Max(_rAct[k], t + _t.RrdS);
        _gRefSb[g] = Math.Max(_gRefSb[g], t + _t.RrdL + 1); _rRefSb[k] = Math.Max(_rRefSb[k], t + _t.RrdS + 1);
        _rRefAb[k] = Math.Max(_rRefAb[k], t + _t.Rc);
        _faw[k][_fawNext[k]] = t; _fawNext[k] = (_fawNext[k] + 1) % 4;
        _rowBusNext = t + _t.ActCommandCycles;
        _acts++;
        _log?.Add(new HbmCommand(t, HbmCommandKind.Act, b, row, 0));
    }

    void Pre(int b, long t)
    {
        _log?.Add(new HbmCommand(t, HbmCommandKind.Pre, b, _bOpen[b], 0));
        _bOpen[b] = -1;
        _bAct[b] = Math.Max(_bAct[b], t + _t.Rp); _bRef[b] = Math.Max(_bRef[b], t + _t.Rp);
        int k = RankOf(b);
        _rRefAb[k] = Math.Max(_rRefAb[k], t + _t.Rp);
        _rowBusNext = t + 1;
    }

    bool TryRefreshPerBank(long t)
    {
        if (_refPending.Count == 0 || t < _rowBusNext) return false;
        var (b, due) = _refPending.Peek();
        if (_bOpen[b] >= 0) { if (CanPre(b, t)) { Pre(b, t); return true; } return false; }
        int g = GroupOf(b), k = RankOf(b);
        if (t < _bRef[b] || t < _gRefSb[g] || t < _rRefSb[k]) return false;
        _refPending.Dequeue();
        _bAct[b] = Math.Max(_bAct[b], t + _t.RfcSb); _bRef[b] = t + _t.RfcSb; _bRefBusy[b] = t + _t.RfcSb;
        _rRefSb[k] = t + _t.Rrefd;
        // Other banks: ACT no sooner than nRREFD - 1 (rank) and nRRDL - 1 (bank group) after the REFsb [D].
        _rAct[k] = Math.Max(_rAct[k], t + _t.Rrefd - 1); _gAct[g] = Math.Max(_gAct[g], t + _t.RrdL - 1);
        _rowBusNext = t + 1;
        Refreshed(t, due);
        _log?.Add(new HbmCommand(t, HbmCommandKind.RefSb, b, 0, 0));
        return true;
    }

    bool TryRefreshAllBank(long t)
    {
        if (_refPending.Count == 0 || t < _rowBusNext) return false;
        var (k, due) = _refPending.Peek();
        int first = k * _g.BanksPerRank;
        for (int b = first; b < first + _g.BanksPerRank; b++)
            if (_bOpen[b] >= 0) { if (CanPre(b, t)) { Pre(b, t); return true; } return false; }
        if (t < _rRefAb[k]) return false;
        for (int b = first; b < first + _g.BanksPerRank; b++) if (t < _bRef[b]) return false;
        _refPending.Dequeue();
        for (int b = first; b < first + _g.BanksPerRank; b++)
        {
            _bAct[b] = Math.Max(_bAct[b], t + _t.RfcAb); _bRef[b] = t + _t.RfcAb; _bRefBusy[b] = t + _t.RfcAb;
        }
        _rRefAb[k] = t + _t.RfcAb;
        _rowBusNext = t + 1;
        Refreshed(t, due);
        _log?.Add(new HbmCommand(t, HbmCommandKind.RefAb, first, 0, 0));
        return true;
    }

    void Refreshed(long t, long due) { _refs++; _maxLate = Math.Max(_maxLate, t - due); }

    bool TryRowForRequests(long t)
    {
        if (t < _rowBusNext) return false;
        Span<bool> seen = _banks <= 256 ? stackalloc bool[_banks] : new bool[_banks];
        foreach (var r in _q)
        {
            int b = r.Bank;
            if (seen[b]) continue;
            seen[b] = true;
            if (RefreshBlocks(b) || _bOpen[b] == r.Row) continue;
            if (_bOpen[b] >= 0)
            {
                // FR-FCFS: a row with queued hits stays open until they are served.
                if (!HitsQueued(b, _bOpen[b]) && CanPre(b, t)) { Pre(b, t); return true; }
            }
            else if (CanAct(b, t)) { Act(b, r.Row, t); return true; }
        }
        return false;
    }

    bool TryClosePage(long t)
    {
        if (t < _rowBusNext) return false;
        for (int b = 0; b < _banks; b++)
            if (_bOpen[b] >= 0 && !HitsQueued(b, _bOpen[b]) && CanPre(b, t)) { Pre(b, t); return true; }
        return false;
    }

    /// <summary>Why the oldest request cannot move now (the controller would serve it next).</summary>
    DramGap Blocker(in Req r, long t)
    {
        int b = r.Bank;
        if (RefreshBlocks(b) || t < _bRefBusy[b]) return DramGap.Refresh;
        if (_bOpen[b] == r.Row)
        {
            bool bankReady = r.Write ? t >= _bWr[b] : t >= _bRd[b];
            if (!bankReady) return DramGap.RowSwitch;
            if (r.Write != _lastWrite) return DramGap.Turnaround;
            if (r.Write ? t < _gWr[r.Group] : t < _gRd[r.Group]) return DramGap.CcdL;
            return DramGap.Turnaround;
        }
        if (_bOpen[b] < 0 && t >= _bAct[b])
        {
            if (FawBlocks(r.Rank, t)) return DramGap.Faw;
            if (t < _gAct[r.Group] || t < _rAct[r.Rank]) return DramGap.Rrd;
        }
        return DramGap.RowSwitch;
    }
}
