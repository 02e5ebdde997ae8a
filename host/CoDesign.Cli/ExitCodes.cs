namespace CoDesign.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int InternalFailure = 1;   // also: a validation that ran and failed (codesign validate)
    public const int BadInput = 2;
}
