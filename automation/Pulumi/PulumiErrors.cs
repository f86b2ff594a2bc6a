using System.Text.RegularExpressions;

namespace Platform.Automation.Pulumi;

/// <summary>A pulumi invocation that failed: the command (never its environment), exit code and the tail of stderr.</summary>
public class PulumiException(string message, int exitCode, string? fix = null, string? stderrTail = null)
    : PlatformException(message, exitCode, fix)
{
    public string? StderrTail { get; } = stderrTail;
}

/// <summary>No <c>pulumi</c> on PATH.</summary>
public sealed class PulumiCliMissingException(string path)
    : PulumiException($"The pulumi CLI was not found (looked for 'pulumi' on PATH: {path}).", ExitCodes.CliUnavailable,
        "install it: curl -fsSL https://get.pulumi.com | sh (or see https://www.pulumi.com/docs/install/), then open a new shell; `platform plan` works without it");

/// <summary>The CLI is older than the flags the console relies on.</summary>
public sealed class PulumiCliTooOldException(Version found, Version required, string why)
    : PulumiException($"pulumi {found} is too old: the console needs {required} or newer ({why}).", ExitCodes.CliUnavailable,
        "upgrade: curl -fsSL https://get.pulumi.com | sh (or brew upgrade pulumi)");

public sealed class StackNotFoundException(string stack, string? tail)
    : PulumiException($"Stack '{stack}' does not exist in the state backend.", ExitCodes.StackNotFound,
        $"create it with `pulumi stack init {stack}` (or run `platform promote`, which creates the stacks of the rollout), and check `pulumi whoami -v` shows the right backend", tail);

/// <summary>Another update holds the stack (DIY lock file or Pulumi Cloud 409). The console never runs `pulumi cancel` itself.</summary>
public sealed class StackLockedException(string stack, string? tail)
    : PulumiException($"Stack '{stack}' is locked by another update.", ExitCodes.StackLocked,
        $"wait for the other update to finish; if none is running (a crashed run), remove the lock with `pulumi cancel --stack {stack} --yes`", tail);

/// <summary>`--expect-no-changes` and changes were found.</summary>
public sealed class ChangesNotExpectedException(string stack, string operation, string? tail)
    : PulumiException($"Stack '{stack}': no changes were expected for {operation} but changes were proposed.", ExitCodes.Drift, null, tail);

public sealed class PulumiAuthenticationException(string stack, string? tail)
    : PulumiException($"Stack '{stack}': pulumi could not authenticate (state backend or cloud credentials).", ExitCodes.AuthenticationFailed,
        "check `pulumi whoami -v`, PULUMI_BACKEND_URL / `pulumi login`, PULUMI_CONFIG_PASSPHRASE(_FILE) and the AWS credentials", tail);

/// <summary>The run was interrupted; the child got SIGINT (never a kill) and exited on its own.</summary>
public sealed class PulumiCancelledException(string stack, string command)
    : PulumiException($"Stack '{stack}': `pulumi {command}` was interrupted; pulumi was sent SIGINT and allowed to finish cleanly (no lock left behind).",
        ExitCodes.Interrupted, $"run the command again; if pulumi reports pending operations, run `pulumi refresh --stack {stack}` first");

/// <summary>Any other non-zero exit: the update failed, the CLI crashed, a flag was refused.</summary>
public sealed class PulumiCommandException(string stack, string command, int exitCode, string? tail, string? fix = null)
    : PulumiException($"Stack '{stack}': `pulumi {command}` failed with {Describe(exitCode)}.", ExitCodes.PulumiFailed, fix, tail)
{
    public int CliExitCode { get; } = exitCode;

    /// <summary>True when the exit code is a signal's (128 + N, as a shell and .NET report a child killed by signal N).</summary>
    public static bool Killed(int exitCode) => exitCode is > 128 and < 160;

    /// <summary>"exit code 1", or for a killed process "exit code 137: killed by signal 9 (SIGKILL, e.g. out of memory)".</summary>
    public static string Describe(int exitCode) => !Killed(exitCode) ? $"exit code {exitCode}" : $"exit code {exitCode}: killed by signal {exitCode - 128} " + (exitCode - 128) switch
    {
        9 => "(SIGKILL, e.g. out of memory or a CI job timeout)",
        15 => "(SIGTERM)",
        6 => "(SIGABRT)",
        11 => "(SIGSEGV)",
        2 => "(SIGINT)",
        _ => "",
    };
}

/// <summary>
/// An update or destroy that stopped half-way and left the stack needing care: a lock (a killed run cannot release
/// it) or pending operations (resources it was creating, updating or deleting when it stopped). The message names
/// them; the fix is the exact commands, in order.
/// </summary>
public sealed class InterruptedUpdateException(string stack, string command, int exitCode, string? tail, StackRecovery recovery)
    : PulumiException($"Stack '{stack}': `pulumi {command}` was interrupted ({PulumiCommandException.Describe(exitCode)}). It left {recovery.Describe()}",
        ExitCodes.PulumiFailed, recovery.Steps(PulumiCommandException.Killed(exitCode), "run the platform command again (platform promote --resume skips what already succeeded)"), tail)
{
    public StackRecovery Recovery { get; } = recovery;
}

/// <summary>What a failed pulumi run means: the typed error of its stderr and events, and the tail to show.</summary>
public static partial class PulumiErrors
{
    /// <summary>Turns a failed run into a typed error, from stderr text first (exit codes differ before CLI 3.227).</summary>
    public static PulumiException Classify(string stack, string command, CommandResult result)
    {
        var err = result.Stderr;
        var tail = Tail(err, ErrorDiagnostics(result.Events));
        if (NotFoundRule().IsMatch(err)) return new StackNotFoundException(stack, tail);
        if (err.Contains("[409] Conflict: Another update is currently in progress.", StringComparison.Ordinal) ||
            err.Contains("the stack is currently locked by", StringComparison.Ordinal))
            return new StackLockedException(stack, tail);
        if (err.Contains("no changes were expected for", StringComparison.Ordinal)) return new ChangesNotExpectedException(stack, command, tail);
        if (err.Contains("unknown flag", StringComparison.Ordinal))
            return new PulumiCommandException(stack, command, result.ExitCode, tail,
                "this pulumi does not know a flag the console passes: upgrade the CLI (curl -fsSL https://get.pulumi.com | sh)");
        if (result.ExitCode == 3 || AuthRule().IsMatch(err)) return new PulumiAuthenticationException(stack, tail);
        return new PulumiCommandException(stack, command, result.ExitCode, tail);
    }

    private static IEnumerable<string> ErrorDiagnostics(IEnumerable<EngineEvent> events) =>
        events.Where(e => e.Kind == "diagnosticEvent" && e.Payload.TryGetProperty("severity", out var s) && s.GetString() == "error")
              .Select(e => e.Payload.TryGetProperty("message", out var m) ? m.GetString()?.Trim() ?? "" : "")
              .Where(m => m.Length > 0);

    /// <summary>The last lines of stderr (and the engine's error diagnostics), for the error message.</summary>
    public static string Tail(string text, IEnumerable<string>? diagnostics = null)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tail = lines.Skip(Math.Max(0, lines.Length - 15)).ToList();
        if (diagnostics is not null)
            foreach (var d in diagnostics.Distinct())
                if (!tail.Any(l => l.Contains(d, StringComparison.Ordinal))) tail.Add(d);
        return string.Join('\n', tail);
    }

    [GeneratedRegex(@"no stack named.*found")]
    private static partial Regex NotFoundRule();

    [GeneratedRegex(@"passphrase must be set|incorrect passphrase|failed to decrypt|\b401\b|Unauthorized|PULUMI_ACCESS_TOKEN|NoCredentialProviders|no valid credential sources|InvalidClientTokenId|ExpiredToken", RegexOptions.IgnoreCase)]
    private static partial Regex AuthRule();
}
