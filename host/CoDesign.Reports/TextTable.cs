using CoDesign.Reports.Guards;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CoDesign.Reports;

/// <summary>Plain-text tables for people (no colour codes, so output can be piped or diffed).</summary>
public sealed class TextTable(params string[] columns)
{
    readonly List<string[]> _rows = [];
    public string? Title { get; init; }
    public HashSet<int> RightAligned { get; } = [];

    public TextTable Add(params string[] cells) { _rows.Add(cells); return this; }

    public void Write(TextWriter w)
    {
        // Every table goes out here: a cell holding a non-finite value (Units marks it) is a bug, named by column and row.
        foreach (var r in _rows)
            for (int c = 0; c < r.Length; c++)
                FiniteCheck.Cell(r[c], $"table{(Title is null ? "" : $" '{Title}'")} column '{(c < columns.Length ? columns[c] : (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}' of row '{r[0]}'");
        var buffer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(buffer),
        });
        console.Profile.Width = 240;
        var t = new Table().Border(TableBorder.Simple);
        if (Title is not null) t.Title = new TableTitle(Title);
        for (int i = 0; i < columns.Length; i++)
        {
            var c = new TableColumn(Markup.Escape(columns[i]));
            if (RightAligned.Contains(i)) c.RightAligned();
            t.AddColumn(c);
        }
        foreach (var r in _rows) t.AddRow(r.Select(x => (IRenderable)new Text(x)).ToArray());
        console.Write(t);
        // Spectre pads every line to the console width; trim so output diffs and pipes cleanly.
        var lines = buffer.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        foreach (var l in lines) w.WriteLine(l);
    }
}
