namespace CoDesign.Schema;

/// <summary>
/// Bad input from the user: a malformed file, an impossible system, a model that does not fit.
/// The CLI turns it into one line on stderr and exit code 2; anything else is an internal failure (exit 1).
/// </summary>
public sealed class InputException(string message) : Exception(message);
