namespace Platform.Automation;

/// <summary>The console's exit codes (documented in README.md and docs/console.md). Stable: scripts depend on them.</summary>
public static class ExitCodes
{
    /// <summary>Success (for drift: nothing drifted).</summary>
    public const int Ok = 0;

    /// <summary><c>platform drift</c>: at least one stack drifted from its state.</summary>
    public const int Drift = 1;

    /// <summary>Bad input: unknown stack or stage, invalid rollout file or allow-list, invalid stack config, corrupt ledger, bad arguments.</summary>
    public const int BadInput = 2;

    /// <summary>The pulumi CLI is missing or older than the console needs.</summary>
    public const int CliUnavailable = 3;

    /// <summary>The stack does not exist in the state backend.</summary>
    public const int StackNotFound = 4;

    /// <summary>The stack is locked by another update (DIY lock file or Pulumi Cloud 409).</summary>
    public const int StackLocked = 5;

    /// <summary>The account guard refused: the credentials the stack would use belong to an account it does not allow.</summary>
    public const int WrongAccount = 6;

    /// <summary>A gate refused: stateful delete/replace, too many changes, missing approval, unpromoted version, protected destroy, unexplained env difference (plan --strict).</summary>
    public const int GateFailed = 7;

    /// <summary>A pulumi command failed (failed update, crash, unexpected error); the tail of its stderr is printed.</summary>
    public const int PulumiFailed = 8;

    /// <summary>A post-deployment check failed (missing stack output, health check).</summary>
    public const int PostCheckFailed = 9;

    /// <summary>Authentication failed (state backend or cloud credentials).</summary>
    public const int AuthenticationFailed = 10;

    /// <summary>A bug in the console: the run log has the stack trace.</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted (Ctrl+C / SIGTERM): the child got SIGINT and was allowed to release its lock.</summary>
    public const int Interrupted = 130;
}
