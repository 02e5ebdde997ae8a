namespace CoDesign.Reports;

/// <summary>
/// How one verb's result reads in each output format. The choice between formats is made here, once, so a verb
/// states only what its table, JSON and CSV hold, and a handler computes a typed result and hands it over.
/// </summary>
public abstract class Renderer<T>
{
    public void Write(TextWriter w, T value, OutputFormat format)
    {
        switch (format)
        {
            case OutputFormat.Table: Table(w, value); break;
            case OutputFormat.Json: Json(w, value); break;
            case OutputFormat.Csv: Csv(w, value); break;
            default: throw new ArgumentOutOfRangeException(nameof(format), format, "not an output format");
        }
    }

    /// <summary>For a person: units for reading, titles, notes.</summary>
    protected abstract void Table(TextWriter w, T value);

    /// <summary>For programs: snake_case keys and raw SI numbers. By default the result itself.</summary>
    protected virtual void Json(TextWriter w, T value) => Reports.Json.Write(w, value);

    /// <summary>For spreadsheets: one header line, raw SI numbers.</summary>
    protected abstract void Csv(TextWriter w, T value);
}
