using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>AWS WAF controls (aws:wafv2:WebAcl), and the web ACL in front of every internet-facing load balancer.</summary>
public static class WafRules
{
    private const string WebAcl = "aws:wafv2:WebAcl";

    private static IEnumerable<MapValue> RulesOf(Node acl) => V.Items(acl["rules"]).OfType<MapValue>();

    private static bool MetricsOn(Value? visibility) =>
        visibility is MapValue v && V.IsTrue(v["cloudwatchMetricsEnabled"]) && V.IsTrue(v["sampledRequestsEnabled"]);

    public static IEnumerable<Rule> All =>
    [
        new("WAF.10", Severity.Medium, "A web ACL has at least one rule or rule group.", Rule.Mandatory, c =>
            c.OfType(WebAcl).Where(a => !RulesOf(a).Any() && a["ruleJson"] is null)
                .Select(a => a.Violation("has no rules, so it allows every request.", "add rules (platform:waf.managedRuleGroups and the rate limit)"))),

        new("WAF.11", Severity.Low, "A web ACL has logging (an aws:wafv2:WebAclLoggingConfiguration names it).", Rule.Mandatory, c =>
            c.OfType(WebAcl).Where(a => !c.Referencing("aws:wafv2:WebAclLoggingConfiguration", "resourceArn", a).Any())
                .Select(a => a.Violation("does not log the requests it inspects.", "add aws:wafv2:WebAclLoggingConfiguration {resourceArn: ${<acl>.arn}, logDestinationConfigs: [${<aws-waf-logs-* group>.arn}]}"))),

        new("WAF.12", Severity.Medium, "A web ACL and each of its rules publish CloudWatch metrics and sampled requests.", Rule.Mandatory, c =>
            c.OfType(WebAcl).Where(a => !MetricsOn(a["visibilityConfig"]) || RulesOf(a).Any(r => !MetricsOn(r["visibilityConfig"])))
                .Select(a => a.Violation("has a rule (or a default) without CloudWatch metrics or sampled requests.", "set visibilityConfig: {cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: <name>} on the ACL and every rule"))),

        new("PLATFORM.WAF.1", Severity.Medium, "An internet-facing load balancer is associated with a WAF web ACL.", Rule.WhereDataIsKept, c =>
            c.OfType("aws:lb:LoadBalancer").Where(l => !V.IsTrue(l["internal"]) && !c.Referencing("aws:wafv2:WebAclAssociation", "resourceArn", l).Any())
                .Select(l => l.Violation("takes requests from the internet without a web application firewall.", "turn platform:waf on (its default), or add aws:wafv2:WebAclAssociation {resourceArn: ${<alb>.arn}, webAclArn}"))),
    ];
}
