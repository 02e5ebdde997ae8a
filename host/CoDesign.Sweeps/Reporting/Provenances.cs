using CoDesign.Sweeps.Run;

namespace CoDesign.Sweeps.Reporting;

/// <summary>The provenance of a set of rows in one line, for figure captions and summaries.</summary>
public static class Provenances
{
    public static string Describe(IEnumerable<ResultRow> rows)
    {
        var list = rows.ToList();
        var models = list.Select(r => r.Provenance.Model).Distinct();
        var hw = list.Select(r => $"{r.Provenance.HardwareSource} (sha256 {r.Provenance.HardwareSha256[..12]})").Distinct();
        var seeds = list.Select(r => r.Provenance.Seed).Distinct();
        var versions = list.Select(r => r.Provenance.CodesignVersion).Distinct();
        return $"Provenance: model {string.Join(", ", models)}; hardware {string.Join(", ", hw)}; seed {string.Join(", ", seeds)}; " +
               $"CoDesign {string.Join(", ", versions)}; {list.Count} points.";
    }
}
