using Platform.Infra.Aws;
using Platform.Infra.Aws.Wafv2;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// The stack's web application firewall (<c>platform:waf</c>): one regional web ACL for every load balancer and one
/// CloudFront-scoped web ACL for every distribution that names none of its own. Each ACL blocks a client IP above the
/// rate limit, then runs the AWS managed rule groups of the settings (their own actions: block on match), and allows
/// the rest; every rule publishes CloudWatch metrics and sampled requests (WAF.12), and every request is logged to
/// CloudWatch Logs (WAF.11) with the <c>authorization</c> and <c>cookie</c> headers redacted, so no credential
/// reaches a log.
/// <para>
/// A CloudFront-scoped ACL, its log group and that group's key must be in us-east-1 (AWS WAF developer guide,
/// "Resources that you can protect"; a log destination is in its web ACL's region): they carry the AWS provider v7's
/// per-resource <c>region</c>, so the stack needs no second provider.
/// </para>
/// </summary>
public sealed class WebFirewall
{
    /// <summary>Where CloudFront-scoped WAF resources live.</summary>
    public const string CloudFrontRegion = "us-east-1";

    /// <summary>Log groups that receive WAF logs must have this prefix (AWS WAF developer guide, "CloudWatch Logs").</summary>
    public const string LogGroupPrefix = "aws-waf-logs-";

    /// <summary>Headers whose values never reach the WAF logs.</summary>
    public static readonly IReadOnlyList<string> RedactedHeaders = ["authorization", "cookie"];

    private WebFirewall(WebAcl? regional, WebAcl? edge)
    {
        Regional = regional;
        Edge = edge;
    }

    /// <summary>The regional web ACL the load balancers are associated with; null when the stack has none to protect.</summary>
    public WebAcl? Regional { get; }

    /// <summary>The CloudFront-scoped web ACL of the distributions; null when no distribution needs it.</summary>
    public WebAcl? Edge { get; }

    /// <summary>The web ACLs the stack needs, or null when <c>platform:waf.enabled</c> is false.</summary>
    public static WebFirewall? Create(StackContext stack, StackSettings settings, LogGroups logs)
    {
        var waf = settings.Waf;
        if (!waf.Enabled) return null;
        var albs = settings.Services.Any(s => s.Container is not null);
        var sites = settings.Services.SelectMany(s => s.Stores).OfType<StaticSiteSettings>().Any(s => s.WebAclArn is null);
        var scope = new ComponentScope(stack, ComponentNames.Waf);
        return new WebFirewall(
            albs ? Acl(scope, "regional", "REGIONAL", null, waf, logs) : null,
            sites ? Acl(scope, "edge", "CLOUDFRONT", CloudFrontRegion, waf, logs) : null);
    }

    /// <summary>Associates a load balancer with the regional web ACL.</summary>
    public void Protect(ComponentScope scope, Output<string> loadBalancerArn) => scope.Add("waf", new WebAclAssociationArgs
    {
        ResourceArn = loadBalancerArn,
        WebAclArn = (Regional ?? throw new InvalidOperationException("The stack has no regional web ACL: it has no load balancer.")).Arn,
    });

    private static WebAcl Acl(ComponentScope scope, string role, string wafScope, string? region, WafSettings waf, LogGroups logs)
    {
        var name = scope.PhysicalName(role, 128);
        var rules = new List<WebAclRule>
        {
            new()
            {
                Name = "rate-limit",
                Priority = 0,
                Action = new WebAclRuleAction { Block = new WebAclRuleActionBlock() },
                Statement = new WebAclRuleStatement
                {
                    RateBasedStatement = new WebAclRuleStatementRateBasedStatement { Limit = waf.RateLimit, AggregateKeyType = "IP", EvaluationWindowSec = 300 },
                },
                VisibilityConfig = RuleVisibility($"{name}-rate-limit"),
            },
        };
        rules.AddRange(waf.ManagedRuleGroups.Select((group, i) => new WebAclRule
        {
            Name = group,
            Priority = i + 1,
            OverrideAction = new WebAclRuleOverrideAction { None = new WebAclRuleOverrideActionNone() },
            Statement = new WebAclRuleStatement
            {
                ManagedRuleGroupStatement = new WebAclRuleStatementManagedRuleGroupStatement { VendorName = "AWS", Name = group },
            },
            VisibilityConfig = RuleVisibility($"{name}-{group}"),
        }));

        var acl = scope.Add(role, new WebAclArgs
        {
            Name = name,
            Description = $"{scope.Stack.Project}/{scope.Stack.Stack}: rate limit {waf.RateLimit} per IP in 5 min, then {string.Join(", ", waf.ManagedRuleGroups)}.",
            Scope = wafScope,
            Region = Input<string>.Optional(region),
            DefaultAction = new WebAclDefaultAction { Allow = new WebAclDefaultActionAllow() },
            Rules = [.. rules],
            VisibilityConfig = new WebAclVisibilityConfig { CloudwatchMetricsEnabled = true, SampledRequestsEnabled = true, MetricName = name },
        });
        var group = logs.Add(scope, $"{role}-logs", $"{LogGroupPrefix}{name}", region: region);
        scope.Add($"{role}-logging", new WebAclLoggingConfigurationArgs
        {
            ResourceArn = acl.Arn,
            LogDestinationConfigs = [group.Arn],
            RedactedFields = [.. RedactedHeaders.Select(h => new WebAclLoggingConfigurationRedactedField
            {
                SingleHeader = new WebAclLoggingConfigurationRedactedFieldSingleHeader { Name = h },
            })],
            Region = Input<string>.Optional(region),
        });
        return acl;
    }

    private static WebAclRuleVisibilityConfig RuleVisibility(string metric) =>
        new() { CloudwatchMetricsEnabled = true, SampledRequestsEnabled = true, MetricName = metric };
}
