namespace CoDesign.Machine.Dram;

/// <summary>Where one column access lands inside a pseudo-channel.</summary>
public readonly record struct DramAddress(int Rank, int BankGroup, int Bank, int Row, int Column);

/// <summary>
/// Splits a pseudo-channel-local access index (one column access each) into fields, lowest first.
/// The default for the external path puts the bank group lowest, so a sequential stream alternates bank
/// groups and back-to-back reads need only tCCD_S; then columns (a row is read out before moving on), banks,
/// ranks, rows: Ramulator 2's RoBaRaCoCh family with the bank group moved below the column, the usual choice
/// for HBM controllers that want tCCD_S streaming [I].
/// </summary>
public sealed class AddressMapping
{
    public enum Field { BankGroup, Column, Bank, Rank, Row }
    readonly Field[] _order;
    readonly DramGeometry _g;

    public AddressMapping(DramGeometry g, params Field[] lowestFirst)
    {
        if (lowestFirst.Distinct().Count() != 5) throw new ArgumentException("an address mapping names each field once");
        _g = g;
        _order = lowestFirst;
    }

    public static AddressMapping BankGroupInterleaved(DramGeometry g) =>
        new(g, Field.BankGroup, Field.Column, Field.Bank, Field.Rank, Field.Row);

    /// <summary>Row-interleaved: a whole row, then the next bank (no bank-group interleaving): what a bank
    /// bundle stream over several bundles does (consecutive rows alternate bundles, as cd_dram_bundle).</summary>
    public static AddressMapping RowInterleaved(DramGeometry g) =>
        new(g, Field.Column, Field.BankGroup, Field.Bank, Field.Rank, Field.Row);

    int Size(Field f) => f switch
    {
        Field.BankGroup => _g.BankGroups,
        Field.Column => _g.Columns,
        Field.Bank => _g.BanksPerGroup,
        Field.Rank => _g.Ranks,
        _ => _g.Rows,
    };

    public DramAddress Map(long access)
    {
        int rank = 0, bg = 0, bank = 0, row = 0, col = 0;
        foreach (var f in _order)
        {
            int n = Size(f);
            int v = (int)(access % n);
            access /= n;
            switch (f)
            {
                case Field.BankGroup: bg = v; break;
                case Field.Column: col = v; break;
                case Field.Bank: bank = v; break;
                case Field.Rank: rank = v; break;
                default: row = v; break;
            }
        }
        return new DramAddress(rank, bg, bank, row, col);
    }
}
