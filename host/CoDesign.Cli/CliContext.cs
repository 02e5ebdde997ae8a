namespace CoDesign.Cli;

/// <summary>The writers a handler must use (tests pass StringWriters).</summary>
public sealed record CliContext(TextWriter Out, TextWriter Err);
