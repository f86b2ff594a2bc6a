using Platform.Infra.Model;
using Platform.Infra.Policies.Rules;
using Platform.Infra.Settings;

namespace Platform.Infra.Policies;

/// <summary>
/// Runs every rule over a finished template (its resources and their rendered properties, never the settings that
/// produced them), then applies the stack's waivers: a matching, unexpired waiver suppresses a finding; an expired one
/// fails the compile; one that matches nothing is stale.
/// </summary>
public static class PolicyEngine
{
    /// <summary>Every rule, in a stable order (by service, then id).</summary>
    public static IReadOnlyList<Rule> Rules { get; } =
    [
        .. S3Rules.All, .. CloudFrontRules.All, .. RdsRules.All, .. EcsRules.All, .. ElbRules.All, .. Ec2Rules.All,
        .. IamKmsRules.All, .. ServiceRules.All, .. WafRules.All, .. MonitoringRules.All, .. BackupRules.All, .. DmsRules.All, .. BaselineRules.All,
    ];

    /// <summary>The ids a waiver may name.</summary>
    public static IReadOnlySet<string> ControlIds { get; } = Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

    public static PolicyReport Evaluate(Template template, StageProfile profile, IReadOnlyList<Waiver> waivers, DateOnly today,
        IReadOnlyCollection<string>? accounts = null)
    {
        var context = new PolicyContext(template, profile, accounts);
        var findings = new List<Finding>();
        foreach (var rule in Rules)
        {
            var enforcement = rule.Enforce(profile);
            foreach (var v in rule.Check(context))
                findings.Add(new Finding(rule.Id, rule.Severity, enforcement, v.Resource, context.Find(v.Resource)?.Type ?? "", v.Problem, v.Fix));
        }

        var mandatory = new List<Finding>();
        var advisory = new List<Finding>();
        var waived = new List<WaivedFinding>();
        var used = new HashSet<Waiver>();
        foreach (var finding in findings.Distinct())
        {
            var waiver = waivers.FirstOrDefault(w => w.Control == finding.Control && w.Resource == finding.Resource);
            if (waiver is not null)
            {
                used.Add(waiver);
                if (!waiver.ExpiredOn(today))
                {
                    waived.Add(new WaivedFinding(finding, waiver));
                    continue;
                }
            }
            (finding.Enforcement == Enforcement.Mandatory ? mandatory : advisory).Add(finding);
        }

        var expired = waivers.Where(w => w.ExpiredOn(today)).ToArray();
        var stale = waivers.Where(w => !used.Contains(w) && !w.ExpiredOn(today)).Select(w => new StaleWaiver(w)).ToArray();
        return new PolicyReport(mandatory, advisory, waived, expired, stale);
    }
}
