using System.Text.Json;
using Platform.Automation.Pulumi;
using Serilog;

namespace Platform.Automation.Rollout;

/// <summary>
/// The checks of a stage after its update (<c>checks</c> in rollout.yaml): the named stack outputs exist, then the
/// health URL answers 2xx/3xx within its attempts. A failure is a <see cref="PlatformException"/> with exit code
/// <see cref="ExitCodes.PostCheckFailed"/>.
/// </summary>
public sealed class PostCheckRunner(IPulumiCli cli, IHealthProbe probe, ILogger log)
{
    public async Task RunAsync(Stage stage, string stack, CancellationToken cancellationToken)
    {
        if (stage.Checks.Outputs.Count == 0 && stage.Checks.Health is null) return;
        var outputs = await cli.GetOutputsAsync(stack, cancellationToken);
        var missing = stage.Checks.Outputs.Where(o => !outputs.ContainsKey(o) || outputs[o].ValueKind == JsonValueKind.Null).ToList();
        if (missing.Count > 0)
            throw new PlatformException($"post-check: expected stack output(s) {string.Join(", ", missing)} missing (has: {string.Join(", ", outputs.Keys.Order())}).",
                ExitCodes.PostCheckFailed, "check the component that exports them, or the stage's checks.outputs in rollout.yaml");
        if (stage.Checks.Health is not { } health) return;
        if (!outputs.TryGetValue(health.Output, out var value) || value.ValueKind != JsonValueKind.String ||
            !Uri.TryCreate(value.GetString()!.TrimEnd('/') + health.Path, UriKind.Absolute, out var url))
            throw new PlatformException($"post-check: stack output '{health.Output}' is not a URL.", ExitCodes.PostCheckFailed, "check checks.health.output in rollout.yaml");
        var last = "";
        for (var attempt = 1; attempt <= health.Attempts; attempt++)
        {
            var (ok, detail) = await probe.ProbeAsync(url, cancellationToken);
            if (ok)
            {
                log.Information("{Stack}: health check {Url} passed ({Detail}, attempt {Attempt})", stack, url, detail, attempt);
                return;
            }
            last = detail;
            log.Warning("{Stack}: health check {Url} attempt {Attempt}/{Attempts}: {Detail}", stack, url, attempt, health.Attempts, detail);
            if (attempt < health.Attempts) await Task.Delay(health.Interval, cancellationToken);
        }
        throw new PlatformException($"post-check: {url} was not healthy after {health.Attempts} attempt(s) (last: {last}).", ExitCodes.PostCheckFailed,
            "look at the service's logs; the deployment itself succeeded, so fix forward and promote again");
    }
}
