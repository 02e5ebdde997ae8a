namespace CoDesign.Cli;

/// <summary>The writers a handler must use (tests pass StringWriters), and the token Ctrl-C cancels.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Err)
{
    /// <summary>Long loops (simulate, sweep, run, rtl calibrate) stop at the next step when this is cancelled.</summary>
    public CancellationToken Cancellation { get; init; }
}
