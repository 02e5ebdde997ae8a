// SPDX-License-Identifier: Apache-2.0
// One DRAM command as the bank-bundle model reports it, and the log format the harness writes.
using System.Globalization;

namespace CoDesign.Rtl.Dram;

public enum DramCommandKind { Activate = 1, Read = 2, Precharge = 3, Refresh = 4 }

public readonly record struct DramCommand(long Cycle, DramCommandKind Kind, int Bundle, int Row, int Column)
{
    /// <summary>Parses the harness's --dram-log lines: "cycle kind bundle row col".</summary>
    public static List<DramCommand> ParseLog(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l =>
        {
            var f = l.Split(' ');
            return new DramCommand(long.Parse(f[0], CultureInfo.InvariantCulture), (DramCommandKind)int.Parse(f[1], CultureInfo.InvariantCulture),
                int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture));
        }).ToList();
}
