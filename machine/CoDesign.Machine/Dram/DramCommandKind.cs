namespace CoDesign.Machine.Dram;

public enum HbmCommandKind { Act, Pre, Rd, Wr, RefSb, RefAb }

/// <summary>One issued command: cycle, kind, flat bank index (rank-major), row (ACT) and column (RD/WR).</summary>
public readonly record struct HbmCommand(long Cycle, HbmCommandKind Kind, int Bank, int Row, int Column);

/// <summary>Why the data path stood idle, charged to the oldest waiting request (FR-FCFS serves it next).</summary>
public enum DramGap { RowSwitch, Refresh, Faw, Rrd, Turnaround, CcdL, QueueEmpty }
