using System.Text.Json;
using System.Text.Json.Serialization;

namespace FakePulumi;

/// <summary>Failures on demand, per stack, from the JSON file named by FAKE_PULUMI_FAULTS.</summary>
public sealed class StackFaults
{
    /// <summary>Fail the update at this resource (logical name), or at the first changed one when "*".</summary>
    public string? FailUpdate { get; set; }

    /// <summary>Milliseconds to spend on each resource step of an update (and on previews).</summary>
    public int SlowMs { get; set; }

    /// <summary>The provider crashes half-way through the next update (once): partial state, exit 255.</summary>
    public bool CrashOnce { get; set; }

    /// <summary>
    /// The pulumi process itself is killed (SIGKILL, as an out-of-memory kill or a CI timeout does) half-way through the
    /// next update (once), while creating a resource: it leaves its lock file and a pending "creating" operation.
    /// </summary>
    public bool KillOnce { get; set; }

    /// <summary>Another process updates the stack right after its next preview (once): the preview is stale.</summary>
    public bool UpdateAfterPreview { get; set; }

    /// <summary>
    /// Resources whose cloud state differs from the stack state (for refresh): "name" (its tags drifted) or
    /// "name.property" (that property drifted).
    /// </summary>
    public List<string> Drift { get; set; } = [];

    /// <summary>Resources deleted from the cloud outside pulumi (for refresh).</summary>
    public List<string> Gone { get; set; } = [];

    /// <summary>"cloud": every locking command answers the Pulumi Cloud 409 (DIY locks are lock files in the backend).</summary>
    public string? LockHeld { get; set; }
}

public sealed class Faults
{
    public Dictionary<string, StackFaults> Stacks { get; set; } = [];

    /// <summary>Role ARN (or "*" for the ambient credentials) → the account those credentials really reach.</summary>
    public Dictionary<string, string> Accounts { get; set; } = [];

    public StackFaults For(string stack) => Stacks.TryGetValue(stack, out var f) ? f : new StackFaults();

    public static Faults Load()
    {
        var path = Environment.GetEnvironmentVariable("FAKE_PULUMI_FAULTS");
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return new Faults();
        return JsonSerializer.Deserialize<Faults>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString })!;
    }
}
