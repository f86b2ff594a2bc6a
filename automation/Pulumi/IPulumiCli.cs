using System.Text.Json;

namespace Platform.Automation.Pulumi;

/// <summary>A stack as <c>pulumi stack ls --json</c> reports it.</summary>
public sealed record StackInfo(string Name, DateTimeOffset? LastUpdate, bool UpdateInProgress, int? ResourceCount);

/// <summary>
/// The latest entry of <c>pulumi stack history --json</c>. <paramref name="Version"/> counts updates on Pulumi Cloud
/// only: DIY backends (file://, s3://) leave it 0, so an entry is told apart by all of its fields
/// (<see cref="Identity"/>), its start and end times above all.
/// </summary>
public sealed record HistoryEntry(int Version, string Kind, string? Result, string? Message, string? StartTime = null, string? EndTime = null)
{
    /// <summary>What distinguishes this update from any other of the stack, on every backend.</summary>
    public string Identity => string.Join('|', Version, Kind, Result, StartTime, EndTime, Message);

    public string Describe() => $"{Kind} {Result}{(StartTime is null ? "" : $" started {StartTime}")}{(Version > 0 ? $" (version {Version})" : "")}";
}

/// <summary>What an engine run produced: the typed change set and the command's result.</summary>
public sealed record EngineRunResult(ChangeSet Changes, TimeSpan Duration);

/// <summary>Options for a mutating engine run.</summary>
public sealed record UpdateOptions(string? Message = null, Action<EngineEvent>? OnEvent = null);

/// <summary>
/// Everything the console asks the pulumi CLI. One implementation (<see cref="PulumiCli"/>) drives the real child
/// process; orchestration is tested against a mock of this interface.
/// </summary>
public interface IPulumiCli
{
    /// <summary>The CLI's version; throws <see cref="PulumiCliMissingException"/> or <see cref="PulumiCliTooOldException"/>.</summary>
    Task<Version> CheckVersionAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<StackInfo>> ListStacksAsync(CancellationToken cancellationToken);

    /// <summary>Creates the stack in the backend when it does not exist (never selects: every command passes --stack).</summary>
    Task<bool> EnsureStackAsync(string stack, CancellationToken cancellationToken);

    Task<EngineRunResult> PreviewAsync(string stack, CancellationToken cancellationToken);

    /// <summary><c>pulumi up --yes --skip-preview</c>.</summary>
    Task<EngineRunResult> UpAsync(string stack, UpdateOptions options, CancellationToken cancellationToken);

    /// <summary><c>pulumi refresh --preview-only --expect-no-changes</c>: the drift, without writing state.</summary>
    Task<EngineRunResult> DriftAsync(string stack, CancellationToken cancellationToken);

    Task<EngineRunResult> DestroyAsync(string stack, UpdateOptions options, CancellationToken cancellationToken);

    /// <summary>Stack outputs; secrets come back as <c>"[secret]"</c> (the console never asks for --show-secrets).</summary>
    Task<IReadOnlyDictionary<string, JsonElement>> GetOutputsAsync(string stack, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string stack, CancellationToken cancellationToken);

    Task SetTagAsync(string stack, string name, string value, CancellationToken cancellationToken);

    /// <summary><c>pulumi config set --path KEY VALUE</c>: writes one (non-secret) value into Pulumi.&lt;stack&gt;.yaml.</summary>
    Task SetConfigAsync(string stack, string path, string value, CancellationToken cancellationToken);

    Task<HistoryEntry?> GetLastUpdateAsync(string stack, CancellationToken cancellationToken);

    /// <summary>What an interrupted update left: pending operations (from <c>stack export</c>) and, where they can be listed, lock files.</summary>
    Task<StackRecovery> GetRecoveryAsync(string stack, CancellationToken cancellationToken);
}
