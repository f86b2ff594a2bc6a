using System.Text.Json;

namespace Platform.Automation.Pulumi;

/// <summary>An operation the engine started and never finished (<c>pending_operations</c> of the stack's state).</summary>
/// <param name="Kind">creating, updating, deleting or reading.</param>
public sealed record PendingOperation(string Kind, string Urn, string Type);

/// <summary>
/// What an interrupted update left behind: lock files (DIY backends; null when the backend's locks cannot be listed from
/// here) and pending operations. <see cref="Steps"/> are the exact commands that clear them, in order
/// (https://www.pulumi.com/docs/iac/cli/commands/pulumi_cancel/, https://www.pulumi.com/docs/iac/cli/commands/pulumi_refresh/).
/// </summary>
public sealed record StackRecovery(string Stack, IReadOnlyList<string>? Locks, IReadOnlyList<PendingOperation> Pending)
{
    public bool HasPending => Pending.Count > 0;

    public bool Locked => Locks is { Count: > 0 };

    /// <summary>What was left, one line each ("\n  - the lock file ...", "\n  - creating urn:..."), or "nothing".</summary>
    public string Describe()
    {
        var lines = new List<string>();
        if (Locked) lines.AddRange(Locks!.Select(l => $"the lock file {l}"));
        lines.AddRange(Pending.Select(p => $"a pending operation: {p.Kind} {p.Urn}"));
        return lines.Count == 0 ? "no lock and no pending operation" : $"{Pending.Count} pending operation(s) and {Locks?.Count.ToString() ?? "unknown"} lock(s):" + string.Concat(lines.Select(l => "\n  - " + l));
    }

    /// <summary>
    /// The commands to run, in order, one line each (command first, then why), ending with <paramref name="then"/>.
    /// <paramref name="killed"/>: the run died without releasing its lock, even where the lock files cannot be listed.
    /// </summary>
    public string Steps(bool killed, string then)
    {
        var steps = new List<string>();
        if (Locked || (killed && Locks is null))
            steps.Add($"pulumi cancel --stack {Stack} --yes   (removes the lock the interrupted run left; first make sure no other update of '{Stack}' is running)");
        var creates = Pending.Where(p => p.Kind == "creating").ToList();
        if (creates.Count > 0)
        {
            steps.Add($"look in AWS for what was being created: {string.Join(", ", creates.Select(c => Urn.NameOf(c.Urn)))}");
            steps.Add($"pulumi refresh --stack {Stack} --yes --import-pending-creates '<urn> <id>'   (for each one that exists: the state adopts it)");
            steps.Add($"pulumi refresh --stack {Stack} --yes --clear-pending-creates   (drops the creates that did not happen from the state)");
        }
        else if (HasPending)
            steps.Add($"pulumi refresh --stack {Stack} --yes   (reconciles the interrupted updates and deletes with AWS)");
        steps.Add(then);
        return string.Join("\n", steps.Select((s, i) => $"{i + 1}. {s}"));
    }

    /// <summary>The pending operations of a <c>pulumi stack export</c> document (secrets stay encrypted; nothing is logged).</summary>
    public static IReadOnlyList<PendingOperation> PendingFrom(JsonElement export)
    {
        var result = new List<PendingOperation>();
        if (!export.TryGetProperty("deployment", out var d) || !d.TryGetProperty("pending_operations", out var ops) || ops.ValueKind != JsonValueKind.Array)
            return result;
        foreach (var op in ops.EnumerateArray())
        {
            var kind = op.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "unknown";
            var resource = op.TryGetProperty("resource", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            string Field(string name) => resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "?";
            result.Add(new PendingOperation(kind, Field("urn"), Field("type")));
        }
        return result;
    }
}

/// <summary>
/// The lock files of a DIY backend on the local file system (<c>file://</c>): <c>.pulumi/locks/organization/&lt;project&gt;/&lt;stack&gt;/*.json</c>,
/// each <c>{pid, username, hostname, timestamp}</c>. Other backends keep their locks where the console cannot list them.
/// </summary>
public sealed class DiyLocks(string? backendUrl, string project, string workingDirectory)
{
    /// <summary>Each lock as "file: created by user@host (pid N) at time"; null when the backend is not a local directory.</summary>
    public IReadOnlyList<string>? Of(string stack)
    {
        if (backendUrl is null || !backendUrl.StartsWith("file://", StringComparison.Ordinal)) return null;
        var root = backendUrl["file://".Length..].Split('?')[0];
        if (root.StartsWith('~')) root = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + root[1..];
        var dir = Path.Combine(Path.GetFullPath(root, workingDirectory), ".pulumi", "locks", "organization", project, stack);
        try
        {
            if (!Directory.Exists(dir)) return [];
            return Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(Describe).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Describe(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var r = doc.RootElement;
            string F(string name) => r.TryGetProperty(name, out var v) ? v.ToString() : "?";
            return $"{file} (created by {F("username")}@{F("hostname")}, pid {F("pid")}, at {F("timestamp")})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return file;
        }
    }
}
