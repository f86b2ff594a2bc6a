using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Serilog;

namespace Platform.Automation.Pulumi;

/// <summary>
/// The pulumi commands the console runs (<see cref="IPulumiCli"/>): each one through <see cref="PulumiProcess"/>, its
/// output parsed (JSON, engine events) and a failure turned into a typed error (<see cref="PulumiErrors.Classify"/>).
/// The CLI's version is checked once, before the first command that needs it.
/// </summary>
public sealed partial class PulumiCli : IPulumiCli
{
    /// <summary>3.211.0: the first CLI that stores stack tags on DIY backends, where the promotion ledger lives.</summary>
    public static readonly Version MinimumVersion = new(3, 211, 0);

    private readonly PulumiProcess _process;
    private readonly ILogger _log;
    private readonly DiyLocks? _locks;
    private Version? _version;

    /// <param name="locks">Lists the lock files of a local DIY backend after an interrupted update (null: not listed).</param>
    public PulumiCli(string projectDirectory, ILogger log, Func<string?>? path = null, DiyLocks? locks = null)
    {
        _process = new PulumiProcess(projectDirectory, log, path);
        _log = log.ForContext<PulumiCli>();
        _locks = locks;
    }

    public async Task<Version> CheckVersionAsync(CancellationToken cancellationToken)
    {
        if (_version is not null) return _version;
        var result = await _process.RunAsync(null, ["version"], eventLog: false, null, cancellationToken);
        if (result.ExitCode != 0) throw PulumiErrors.Classify("(none)", "version", result);
        var match = VersionRule().Match(result.Stdout);
        if (!match.Success)
            throw new PulumiCommandException("(none)", "version", 0, PulumiErrors.Tail(result.Stdout), "`pulumi version` printed no version; reinstall the CLI");
        var version = new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value));
        if (version < MinimumVersion)
            throw new PulumiCliTooOldException(version, MinimumVersion, "stack tags on DIY backends hold the promotion ledger");
        _log.Debug("pulumi {Version} at {Path}", version, _process.ResolveExecutable());
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
        var result = await _process.RunAsync(null, ["stack", "init", stack], eventLog: false, null, cancellationToken);
        if (result.ExitCode != 0 && !AlreadyExistsRule().IsMatch(result.Stderr)) throw PulumiErrors.Classify(stack, "stack init", result);
        _log.Information("Created stack {Stack} in the state backend (pulumi stack init)", stack);
        return true;
    }

    public async Task<EngineRunResult> PreviewAsync(string stack, CancellationToken cancellationToken)
    {
        await CheckVersionAsync(cancellationToken);
        var result = await _process.RunAsync(stack, ["preview"], eventLog: true, null, cancellationToken);
        if (result.ExitCode != 0) throw PulumiErrors.Classify(stack, "preview", result);
        return Engine(stack, "preview", result);
    }

    public async Task<EngineRunResult> UpAsync(string stack, UpdateOptions options, CancellationToken cancellationToken)
    {
        await CheckVersionAsync(cancellationToken);
        var command = new List<string> { "up", "--yes", "--skip-preview" };
        if (options.Message is not null) command.AddRange(["--message", options.Message]);
        var result = await _process.RunAsync(stack, command, eventLog: true, options.OnEvent, cancellationToken);
        if (result.ExitCode != 0) throw await EngineFailure(stack, "up", result);
        return Engine(stack, "up", result);
    }

    public async Task<EngineRunResult> DriftAsync(string stack, CancellationToken cancellationToken)
    {
        await CheckVersionAsync(cancellationToken);
        var result = await _process.RunAsync(stack, ["refresh", "--preview-only", "--expect-no-changes"], eventLog: true, null, cancellationToken);
        if (result.ExitCode != 0)
        {
            var error = PulumiErrors.Classify(stack, "refresh", result);
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
        var result = await _process.RunAsync(stack, command, eventLog: true, options.OnEvent, cancellationToken);
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
        var result = await _process.RunAsync(stack, ["stack", "export"], eventLog: false, null, cancellationToken, logStdout: false);
        if (result.ExitCode != 0) throw PulumiErrors.Classify(stack, "stack export", result);
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
        var error = PulumiErrors.Classify(stack, command, result);
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
        var result = await _process.RunAsync(stack, command, eventLog: false, null, cancellationToken);
        if (result.ExitCode != 0) throw PulumiErrors.Classify(stack ?? "(none)", string.Join(' ', command.Take(3)), result);
        return result;
    }

    private static EngineRunResult Engine(string stack, string command, CommandResult result)
    {
        if (result.Events.Count == 0)
            throw new PulumiCommandException(stack, command, result.ExitCode, PulumiErrors.Tail(result.Stderr),
                "pulumi wrote no engine events: check that this CLI supports --event-log with PULUMI_DEBUG_COMMANDS");
        return new EngineRunResult(ChangeSet.FromEvents(stack, result.Events), result.Duration);
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

    [GeneratedRegex(@"stack.*already exists")]
    private static partial Regex AlreadyExistsRule();
}
