using Platform.Automation.Pulumi;

namespace Platform.Automation.Rollout;

/// <summary>
/// The gates a change set passes before <c>pulumi up</c>: no delete or replace of a stateful resource unless its URN is
/// allowed, and no more changes than the stage allows. Approval is separate (<see cref="IApprover"/>).
/// </summary>
public static class Gates
{
    public static IReadOnlyList<string> Check(ChangeSet changes, Stage? stage, IEnumerable<string> extraAllowed)
    {
        var allowed = new HashSet<string>(extraAllowed, StringComparer.Ordinal);
        if (stage is not null) allowed.UnionWith(stage.AllowDestructive);
        var failures = new List<string>();
        foreach (var c in changes.StatefulDestructive.Where(c => !allowed.Contains(c.Urn)))
        {
            var why = c.ReplaceReasons.Count > 0 ? $" (replace caused by {string.Join(", ", c.ReplaceReasons)})" : "";
            failures.Add($"{c.Kind.ToString().ToLowerInvariant()} of stateful resource {c.Urn}{why}{(c.Protected ? " [protected]" : "")}; " +
                         "allow it by URN in the stage's allowDestructive list (rollout.yaml) or with --allow-destructive URN");
        }
        var count = changes.Changes.Count;
        if (stage?.MaxChanges is { } max && count > max)
            failures.Add($"{count} resource changes exceed the stage's limit of {max} (maxChanges in rollout.yaml)");
        return failures;
    }
}

/// <summary>Decides whether a stage that requires approval may apply a change set. Returns who approved, or null.</summary>
public interface IApprover
{
    Task<string?> ApproveAsync(Stage stage, string stack, ChangeSet changes, CancellationToken cancellationToken);
}

/// <summary>Approval from <c>--approve STAGE</c>, else an interactive prompt (exact "yes") when a person is at a terminal.</summary>
public sealed class Approver(IReadOnlySet<string> approvedStages, Func<Stage, string, ChangeSet, Task<bool>>? prompt) : IApprover
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<string?> ApproveAsync(Stage stage, string stack, ChangeSet changes, CancellationToken cancellationToken)
    {
        var user = Environment.UserName;
        if (approvedStages.Contains(stage.Name)) return $"{user} (--approve)";
        if (prompt is null) return null;
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await prompt(stage, stack, changes) ? $"{user} (prompt)" : null;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}

/// <summary>The HTTP health check of a post-deployment step.</summary>
public interface IHealthProbe
{
    /// <summary>True when <paramref name="url"/> answers 2xx or 3xx; the failure text otherwise.</summary>
    Task<(bool Healthy, string Detail)> ProbeAsync(Uri url, CancellationToken cancellationToken);
}

public sealed class HttpHealthProbe(HttpClient client) : IHealthProbe
{
    public async Task<(bool Healthy, string Detail)> ProbeAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            return (code is >= 200 and < 400, $"HTTP {code}");
        }
        catch (HttpRequestException e)
        {
            return (false, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, "timed out");
        }
    }
}
