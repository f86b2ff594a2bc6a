using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Serilog;

namespace Platform.Automation.Pulumi;

/// <summary>The result of one child process: exit code, output, and the events of its last engine run.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, IReadOnlyList<EngineEvent> Events, TimeSpan Duration);

/// <summary>
/// The one class that owns the pulumi child process. Arguments are a list (never a shell string); every command gets
/// an explicit <c>--cwd</c> and <c>--non-interactive</c>, stack commands an explicit <c>--stack</c>; the environment never
/// carries PULUMI_STACK / PULUMI_CONFIG (pulumi would hand them to the compiler, and the inherited value wins, so a
/// leaked value would compile the wrong stack); stdout and stderr are streamed to the log; the event log is tailed by byte
/// offset; cancellation sends SIGINT and waits (a kill leaves a stale lock); failures become typed errors.
/// </summary>
public sealed partial class PulumiCli : IPulumiCli
{
    /// <summary>3.211.0: the first CLI that stores stack tags on DIY backends, where the promotion ledger lives.</summary>
    public static readonly Version MinimumVersion = new(3, 211, 0);

    /// <summary>Variables pulumi passes to the compiler itself; an inherited value would override the stack's.</summary>
    public static readonly IReadOnlyList<string> StrippedVariables =
        ["PULUMI_STACK", "PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_ORGANIZATION", "PULUMI_ROOT_DIRECTORY"];

    private readonly string _projectDirectory;
    private readonly ILogger _log;
    private readonly Func<string?> _path;
    private readonly DiyLocks? _locks;
    private Version? _version;

    /// <param name="locks">Lists the lock files of a local DIY backend after an interrupted update (null: not listed).</param>
    public PulumiCli(string projectDirectory, ILogger log, Func<string?>? path = null, DiyLocks? locks = null)
    {
        _projectDirectory = Path.GetFullPath(projectDirectory);
        _log = log.ForContext<PulumiCli>();
        _path = path ?? (() => Environment.GetEnvironmentVariable("PATH"));
        _locks = locks;
    }

    /// <summary>Builds the argument list: the command, then <c>--stack</c>, <c>--cwd</c>, <c>--non-interactive</c>, <c>--color never</c> and the event log.</summary>
    public IReadOnlyList<string> BuildArguments(IReadOnlyList<string> command, string? stack, string? eventLog)
    {
        var args = new List<string>(command);
        if (stack is not null) args.AddRange(["--stack", stack]);
        args.AddRange(["--cwd", _projectDirectory, "--non-interactive", "--color", "never"]);
        if (eventLog is not null) args.AddRange(["--event-log", eventLog]);
        return args;
    }

    /// <summary>The child's start info: arguments as a list, the sanitised environment, stdin closed.</summary>
    public ProcessStartInfo BuildStartInfo(string executable, IReadOnlyList<string> arguments, bool eventLog)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _projectDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var name in StrippedVariables) start.Environment.Remove(name);
        start.Environment["PULUMI_SKIP_UPDATE_CHECK"] = "true";
        start.Environment["NO_COLOR"] = "1";
        if (eventLog) start.Environment["PULUMI_DEBUG_COMMANDS"] = "true";
        else start.Environment.Remove("PULUMI_DEBUG_COMMANDS");
        return start;
    }

    /// <summary>Finds <c>pulumi</c> on PATH the way the OS would, so that a missing CLI gets a clear error and an install hint.</summary>
    public string ResolveExecutable()
    {
        var path = _path() ?? "";
        var names = OperatingSystem.IsWindows() ? new[] { "pulumi.exe", "pulumi.cmd" } : new[] { "pulumi" };
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        throw new PulumiCliMissingException(path);
    }

    public async Task<Version> CheckVersionAsync(CancellationToken cancellationToken)
    {
        if (_version is not null) return _version;
        var result = await RunAsync(null, ["version"], eventLog: false, null, cancellationToken);
        if (result.ExitCode != 0) throw Classify("(none)", "version", result);
        var match = VersionRule().Match(result.Stdout);
        if (!match.Success)
            throw new PulumiCommandException("(none)", "version", 0, Tail(result.Stdout), "`pulumi version` printed no version; reinstall the CLI");
        var version = new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value));
        if (version < MinimumVersion)
            throw new PulumiCliTooOldException(version, MinimumVersion, "stack tags on DIY backends hold the promotion ledger");
        _log.Debug("pulumi {Version} at {Path}", version, ResolveExecutable());
        return _version = version;
    }

    public async Task<IReadOnlyList<StackInfo>> ListStacksAsync(CancellationToken cancellationToken)
    {
        await CheckVersionAsync(cancellationToken);
        var result = await RunChecked(null, ["stack", "ls", "--json"], cancellationToken);
        var stacks = new List<StackInfo>();
        using var doc = ParseJson("stack ls", result.Stdout);
        foreach (var s in doc.RootElement.EnumerateArray())
        {
            var name = s.GetProperty("name").GetString()!;
            // Fully-qualified names (org/project/stack) on some backends: the stack is the last segment.
            name = name[(name.LastIndexOf('/') + 1)..];
            DateTimeOffset? last = s.TryGetProperty("lastUpdate", out var lu) && lu.ValueKind == JsonValueKind.String &&
                                   DateTimeOffset.TryParse(lu.GetString(), out var t) ? t : null;
            var inProgress = s.TryGetProperty("updateInProgress", out var ip) && ip.ValueKind == JsonValueKind.True;
            int? count = s.TryGetProperty("resourceCount", out var rc) && rc.TryGetInt32(out var n) ? n : null;
            stacks.Add(new StackInfo(name, last, inProgress, count));
        }
        return stacks;
    }

    public async Task<bool> EnsureStackAsync(string stack, CancellationToken cancellationToken)
    {
        var stacks = await ListStacksAsync(cancellationToken);
        if (stacks.Any(s => s.Name == stack)) return false;
        var result = await RunAsync(null, ["stack", "init", stack], eventLog: false, null, cancellationToken);
        if (result.ExitCode != 0 && !AlreadyExistsRule().IsMatch(result.Stderr)) throw Classify(stack, "stack init", result);
        _log.Information("Created stack {Stack} in the state backend (pulumi stack init)", stack);
        return true;
    }

    public async Task<EngineRunResult> PreviewAsync(string stack, CancellationToken cancellationToken)
    {
        await CheckVersionAsync(cancellationToken);
        var result = await RunAsync(stack, ["preview"], eventLog: true, null, cancellationToken);
        if (result.ExitCode != 0) throw Classify(stack, "preview", result);
        return Engine(stack, "preview", result);
    }

    public async Task<EngineRunResult> UpAsync(string stack, UpdateOptions options, CancellationToken cancellationToken)
    {
        await CheckVersionAsync(cancellationToken);
        var command = new List<string> { "up", "--yes", "--skip-preview" };
        if (options.Message is not null) command.AddRange(["--message", options.Message]);
        var result = await RunAsync(stack, command, eventLog: true, options.OnEvent, cancellationToken);
        if (result.ExitCode != 0) throw await EngineFailure(stack, "up", result);
        return Engine(stack, "up", result);
    }

    public async Task<EngineRunResult> DriftAsync(string stack, CancellationToken cancellationToken)
    {
        await CheckVersionAsync(cancellationToken);
        var result = await RunAsync(stack, ["refresh", "--preview-only", "--expect-no-changes"], eventLog: true, null, cancellationToken);
        if (result.ExitCode != 0)
        {
            var error = Classify(stack, "refresh", result);
            if (error is not ChangesNotExpectedException) throw error;
            var changes = ChangeSet.FromEvents(stack, result.Events);
            // Drift the event log could not itemise still counts: the CLI said changes were proposed.
            if (!changes.HasChanges) changes = changes with { Summary = new Dictionary<string, int> { ["update"] = 1 } };
            return new EngineRunResult(changes, result.Duration);
        }
        return Engine(stack, "refresh", result);
    }

    public async Task<EngineRunResult> DestroyAsync(string stack, UpdateOptions options, CancellationToken cancellationToken)
    {
        await CheckVersionAsync(cancellationToken);
        var command = new List<string> { "destroy", "--yes", "--skip-preview" };
        if (options.Message is not null) command.AddRange(["--message", options.Message]);
        var result = await RunAsync(stack, command, eventLog: true, options.OnEvent, cancellationToken);
        if (result.ExitCode != 0) throw await EngineFailure(stack, "destroy", result);
        return Engine(stack, "destroy", result);
    }

    public async Task<IReadOnlyDictionary<string, JsonElement>> GetOutputsAsync(string stack, CancellationToken cancellationToken)
    {
        var result = await RunChecked(stack, ["stack", "output", "--json"], cancellationToken);
        using var doc = ParseJson("stack output", result.Stdout);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string stack, CancellationToken cancellationToken)
    {
        var result = await RunChecked(stack, ["stack", "tag", "ls", "--json"], cancellationToken);
        using var doc = ParseJson("stack tag ls", result.Stdout);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.ToString(), StringComparer.Ordinal);
    }

    public async Task SetTagAsync(string stack, string name, string value, CancellationToken cancellationToken) =>
        await RunChecked(stack, ["stack", "tag", "set", name, value], cancellationToken);

    public async Task SetConfigAsync(string stack, string path, string value, CancellationToken cancellationToken) =>
        await RunChecked(stack, ["config", "set", "--path", path, value], cancellationToken);

    public async Task<HistoryEntry?> GetLastUpdateAsync(string stack, CancellationToken cancellationToken)
    {
        var result = await RunChecked(stack, ["stack", "history", "--json", "--page-size", "1", "--page", "1"], cancellationToken);
        using var doc = ParseJson("stack history", result.Stdout);
        if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() == 0) return null;
        var e = doc.RootElement[0];
        string? Text(string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return new HistoryEntry(e.TryGetProperty("version", out var v) && v.TryGetInt32(out var n) ? n : 0,
            Text("kind") ?? "", Text("result"), Text("message"), Text("startTime"), Text("endTime"));
    }

    public async Task<StackRecovery> GetRecoveryAsync(string stack, CancellationToken cancellationToken)
    {
        // The export holds state (secrets stay encrypted without --show-secrets); only the pending operations are read, nothing is logged.
        var result = await RunAsync(stack, ["stack", "export"], eventLog: false, null, cancellationToken, logStdout: false);
        if (result.ExitCode != 0) throw Classify(stack, "stack export", result);
        using var doc = ParseJson("stack export", result.Stdout);
        return new StackRecovery(stack, _locks?.Of(stack), StackRecovery.PendingFrom(doc.RootElement));
    }

    /// <summary>
    /// The error of a failed update or destroy. A generic failure is inspected (never cancelled): a run that was killed,
    /// or that left a lock or pending operations, becomes an <see cref="InterruptedUpdateException"/> naming them and
    /// the commands that clear them.
    /// </summary>
    private async Task<PulumiException> EngineFailure(string stack, string command, CommandResult result)
    {
        var error = Classify(stack, command, result);
        if (error is not PulumiCommandException) return error;
        StackRecovery recovery;
        try
        {
            recovery = await GetRecoveryAsync(stack, CancellationToken.None);
        }
        catch (PulumiException e)
        {
            _log.Warning("{Stack}: could not inspect the stack after the failed {Command}: {Message}", stack, command, e.Message);
            return error;
        }
        return PulumiCommandException.Killed(result.ExitCode) || recovery.HasPending || recovery.Locked
            ? new InterruptedUpdateException(stack, command, result.ExitCode, error.StderrTail, recovery)
            : error;
    }

    private async Task<CommandResult> RunChecked(string? stack, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        await CheckVersionAsync(cancellationToken);
        var result = await RunAsync(stack, command, eventLog: false, null, cancellationToken);
        if (result.ExitCode != 0) throw Classify(stack ?? "(none)", string.Join(' ', command.Take(3)), result);
        return result;
    }

    /// <summary>Runs pulumi once. Cancellation sends SIGINT and waits for pulumi to exit on its own.</summary>
    public async Task<CommandResult> RunAsync(string? stack, IReadOnlyList<string> command, bool eventLog, Action<EngineEvent>? onEvent,
        CancellationToken cancellationToken, bool logStdout = true)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var executable = ResolveExecutable();
        string? logDir = eventLog ? Directory.CreateTempSubdirectory("platform-eventlog-").FullName : null;
        var logFile = logDir is null ? null : Path.Combine(logDir, "eventlog.txt");
        var args = BuildArguments(command, stack, logFile);
        var label = $"pulumi {string.Join(' ', command)}";
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var tailer = logFile is null ? null : new EventLogTailer(logFile);
        if (tailer is not null && onEvent is not null) tailer.EventRead += onEvent;
        var watch = Stopwatch.StartNew();
        _log.Debug("Running {Command} for stack {Stack}", label, stack ?? "-");
        using var process = new Process { StartInfo = BuildStartInfo(executable, args, eventLog), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            if (logStdout) _log.Debug("[{Stack}] {Line}", stack ?? "pulumi", e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            _log.Debug("[{Stack}] stderr: {Line}", stack ?? "pulumi", e.Data);
        };
        try
        {
            try
            {
                process.Start();
            }
            catch (Win32Exception)
            {
                throw new PulumiCliMissingException(_path() ?? "");
            }
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var interrupted = 0;
            await using var registration = cancellationToken.Register(() =>
            {
                if (Interlocked.Exchange(ref interrupted, 1) == 0)
                {
                    _log.Warning("Interrupt: sending SIGINT to {Command} (pid {Pid}) and waiting for it to exit", label, process.Id);
                    Interrupts.Forward(process.Id);
                }
            });
            var exited = process.WaitForExitAsync(CancellationToken.None);
            while (!exited.IsCompleted)
            {
                tailer?.Poll();
                await Task.WhenAny(exited, Task.Delay(100, CancellationToken.None));
            }
            await exited;
            tailer?.Poll();
            watch.Stop();
            var result = new CommandResult(process.ExitCode, Snapshot(stdout), Snapshot(stderr), tailer?.CurrentRun.ToArray() ?? [], watch.Elapsed);
            _log.Debug("{Command} for stack {Stack} exited with {ExitCode} after {Elapsed:0.0}s", label, stack ?? "-", result.ExitCode, watch.Elapsed.TotalSeconds);
            if (interrupted == 1 && result.ExitCode != 0) throw new PulumiCancelledException(stack ?? "(none)", string.Join(' ', command));
            return result;
        }
        finally
        {
            if (logDir is not null)
            {
                try { Directory.Delete(logDir, recursive: true); }
                catch (IOException) { }
            }
        }
    }

    private static string Snapshot(StringBuilder b)
    {
        lock (b) return b.ToString();
    }

    private static EngineRunResult Engine(string stack, string command, CommandResult result)
    {
        if (result.Events.Count == 0)
            throw new PulumiCommandException(stack, command, result.ExitCode, Tail(result.Stderr),
                "pulumi wrote no engine events: check that this CLI supports --event-log with PULUMI_DEBUG_COMMANDS");
        return new EngineRunResult(ChangeSet.FromEvents(stack, result.Events), result.Duration);
    }

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

    private static JsonDocument ParseJson(string command, string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new PulumiCommandException("(none)", command, 0, null, $"`pulumi {command} --json` printed something that is not JSON ({e.Message})");
        }
    }

    [GeneratedRegex(@"v?(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex VersionRule();

    [GeneratedRegex(@"no stack named.*found")]
    private static partial Regex NotFoundRule();

    [GeneratedRegex(@"stack.*already exists")]
    private static partial Regex AlreadyExistsRule();

    [GeneratedRegex(@"passphrase must be set|incorrect passphrase|failed to decrypt|\b401\b|Unauthorized|PULUMI_ACCESS_TOKEN|NoCredentialProviders|no valid credential sources|InvalidClientTokenId|ExpiredToken", RegexOptions.IgnoreCase)]
    private static partial Regex AuthRule();
}
