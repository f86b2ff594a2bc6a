namespace Platform.Automation;

/// <summary>
/// An error the console reports as-is: a message that says what and where, an optional fix, and the exit code.
/// Anything else that escapes a command is a bug and is reported with its stack trace in the run log.
/// </summary>
public class PlatformException(string message, int exitCode, string? fix = null, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public string? Fix { get; } = fix;
}

/// <summary>Bad input (unknown stack, invalid rollout file, corrupt ledger...): nothing was changed.</summary>
public sealed class BadInputException(string message, string? fix = null) : PlatformException(message, ExitCodes.BadInput, fix);
