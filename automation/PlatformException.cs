namespace Platform.Automation;

/// <summary>
/// An error the console reports as-is: a message that says what and where, an optional fix, and the exit code.
/// Anything else that escapes a command is a bug and is reported with its stack trace in the run log.
/// </summary>
public class PlatformException(string message, int exitCode, string? fix = null, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public string? Fix { get; } = fix;

    /// <summary>The error to report for <paramref name="e"/>: itself, a bad file or path as bad input, or null for a bug.</summary>
    public static PlatformException? From(Exception e) => e switch
    {
        PlatformException p => p,
        Stacks.InputFileException i => new BadInputException(i.Message, i.Fix),
        _ => null,
    };
}

/// <summary>Bad input (unknown stack, invalid rollout file, corrupt ledger...): nothing was changed.</summary>
public sealed class BadInputException(string message, string? fix = null) : PlatformException(message, ExitCodes.BadInput, fix);
