using Platform.Infra.Settings;

namespace Platform.Infra.Policies;

/// <summary>Security Hub's severity of a control (platform rules take the severity of the risk they guard).</summary>
public enum Severity { Critical, High, Medium, Low }

/// <summary>Mandatory findings fail the compile; advisory findings are reported by the offline plan.</summary>
public enum Enforcement { Mandatory, Advisory }

/// <summary>What a rule found wrong with one resource: the problem and how to fix it.</summary>
public sealed record Violation(string Resource, string Problem, string Fix);

/// <summary>A violation of a rule, with the rule's id, severity and its enforcement in this stage.</summary>
public sealed record Finding(string Control, Severity Severity, Enforcement Enforcement, string Resource, string Type, string Problem, string Fix)
{
    public string Format() =>
        $"  {Control} ({Severity.ToString().ToLowerInvariant()}, {Enforcement.ToString().ToLowerInvariant()}) {Resource} ({Type}): {Problem}\n    fix: {Fix}";
}

/// <summary>A waiver that no longer matches a finding: the rule does not fire on that resource any more.</summary>
public sealed record StaleWaiver(Waiver Waiver)
{
    public string Format() =>
        $"  {Waiver.Control} {Waiver.Resource}: the waiver (expires {Waiver.Expires:yyyy-MM-dd}) matches no finding; remove it from platform:waivers.";
}

/// <summary>A finding that a waiver suppresses, with the waiver.</summary>
public sealed record WaivedFinding(Finding Finding, Waiver Waiver);

/// <summary>The outcome of the policy engine over one template.</summary>
public sealed record PolicyReport(
    IReadOnlyList<Finding> Mandatory,
    IReadOnlyList<Finding> Advisory,
    IReadOnlyList<WaivedFinding> Waived,
    IReadOnlyList<Waiver> Expired,
    IReadOnlyList<StaleWaiver> Stale)
{
    /// <summary>The compile fails on any unwaived mandatory finding and on any expired waiver.</summary>
    public bool Passed => Mandatory.Count == 0 && Expired.Count == 0;
}

/// <summary>The template breaks mandatory rules (or relies on expired waivers): every one is listed.</summary>
public sealed class PolicyException(string stack, PolicyReport report) : Exception(Describe(stack, report))
{
    public string Stack { get; } = stack;

    public PolicyReport Report { get; } = report;

    public static string Describe(string stack, PolicyReport report)
    {
        var lines = new List<string>();
        var count = report.Mandatory.Count + report.Expired.Count;
        lines.Add($"error: stack '{stack}' breaks {count} mandatory security {(count == 1 ? "control" : "controls")}; nothing was generated.");
        lines.AddRange(report.Mandatory.Select(f => f.Format()));
        lines.AddRange(report.Expired.Select(w =>
            $"  {w.Control} {w.Resource}: the waiver expired on {w.Expires:yyyy-MM-dd} (reason: {w.Reason}).\n" +
            $"    fix: fix the resource, or renew the waiver's expires date in platform:waivers of Pulumi.{stack}.yaml"));
        lines.Add("  Controls are listed in docs/controls.md; a justified exception is a waiver in platform:waivers (docs/configuration.md).");
        return string.Join("\n", lines);
    }
}
