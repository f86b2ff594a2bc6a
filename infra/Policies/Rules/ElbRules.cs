using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>Application Load Balancer controls (aws:lb:LoadBalancer, Listener, TargetGroup).</summary>
public static class ElbRules
{
    private static IEnumerable<Node> Albs(PolicyContext c) =>
        c.OfType("aws:lb:LoadBalancer").Where(l => V.Str(l["loadBalancerType"]) is null or "application");

    private static bool RedirectsToHttps(Node listener)
    {
        var actions = V.Items(listener["defaultActions"]).OfType<MapValue>().ToArray();
        return actions.Length > 0 && actions.All(a => V.Str(a["type"]) == "redirect" && V.Str(V.At(a, "redirect.protocol")) == "HTTPS");
    }

    /// <summary>The TLS 1.3 policies Security Hub accepts for ELB.17.</summary>
    public static readonly IReadOnlyList<string> RecommendedPolicies =
    [
        "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    ];

    public static IEnumerable<Rule> All =>
    [
        new("ELB.1", Severity.Medium, "Every HTTP listener only redirects to HTTPS (a finding in throw-away stages, mandatory where data is kept).", Rule.WhereDataIsKept, c =>
            c.OfType("aws:lb:Listener").Where(l => V.Str(l["protocol"]) == "HTTP" && !RedirectsToHttps(l))
                .Select(l => l.Violation("serves plain HTTP instead of redirecting to HTTPS.",
                    "set defaultActions: [{type: redirect, redirect: {protocol: HTTPS, port: \"443\", statusCode: HTTP_301}}]"))),

        new("ELB.4", Severity.Medium, "Application load balancers drop invalid HTTP headers (dropInvalidHeaderFields true).", Rule.Mandatory, c =>
            Albs(c).Where(l => !V.IsTrue(l["dropInvalidHeaderFields"]))
                .Select(l => l.Violation("forwards invalid HTTP header fields (request smuggling).", "set dropInvalidHeaderFields: true"))),

        new("ELB.5", Severity.Medium, "Access logs are enabled (accessLogs {bucket, enabled: true}).", Rule.Advisory, c =>
            Albs(c).Where(l => !(V.IsTrue(l["accessLogs.enabled"]) && l["accessLogs.bucket"] is not null))
                .Select(l => l.Violation("has no access logs.", "set accessLogs: {bucket: ${<log bucket>.id}, prefix: alb, enabled: true} (the bucket must use SSE-S3)"))),

        new("ELB.6", Severity.Medium, "Deletion protection is enabled (mandatory in protected stages).", Rule.WhereProtected, c =>
            c.OfType("aws:lb:LoadBalancer").Where(l => !V.IsTrue(l["enableDeletionProtection"]))
                .Select(l => l.Violation("can be deleted by any API call.", "set enableDeletionProtection: true"))),

        new("ELB.12", Severity.Medium, "desyncMitigationMode is defensive or strictest (not monitor).", Rule.Mandatory, c =>
            Albs(c).Where(l => V.Str(l["desyncMitigationMode"]) is { } m && m is not ("defensive" or "strictest"))
                .Select(l => l.Violation("does not mitigate HTTP desync attacks.", "remove desyncMitigationMode (default defensive) or set strictest"))),

        new("ELB.13", Severity.Medium, "The load balancer spans at least 2 subnets (2 AZs).", Rule.Mandatory, c =>
            c.OfType("aws:lb:LoadBalancer").Where(l => (l["subnets"] ?? l["subnetMappings"]) is ListValue list && list.Items.Count < 2 ||
                                                     l["subnets"] is null && l["subnetMappings"] is null)
                .Select(l => l.Violation("is in fewer than 2 subnets, so one AZ failure takes it down (and AWS refuses it).", "set subnets to the public subnets of at least 2 AZs"))),

        new("ELB.17", Severity.Medium, "HTTPS/TLS listeners use a recommended TLS 1.3 security policy.", Rule.Mandatory, c =>
            c.OfType("aws:lb:Listener").Where(l => V.Str(l["protocol"]) is "HTTPS" or "TLS" && !RecommendedPolicies.Contains(V.Str(l["sslPolicy"]) ?? ""))
                .Select(l => l.Violation($"uses TLS policy {V.Str(l["sslPolicy"]) ?? "(default ELBSecurityPolicy-2016-08)"}, which allows old TLS versions.",
                    "set sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06"))),

        new("ELB.18", Severity.Medium, "Listeners use HTTPS (or TLS); a plain HTTP listener is allowed only as a redirect to HTTPS (a finding in throw-away stages, mandatory where data is kept).", Rule.WhereDataIsKept, c =>
            c.OfType("aws:lb:Listener").Where(l => V.Str(l["protocol"]) is null or "HTTP" or "TCP" && !RedirectsToHttps(l))
                .Select(l => l.Violation("accepts unencrypted traffic.", "use protocol: HTTPS with a certificateArn, or make the HTTP listener a redirect to HTTPS"))),

        new("PLATFORM.ELB.1", Severity.Medium, "Target groups have an enabled health check with a path.", Rule.Advisory, c =>
            c.OfType("aws:lb:TargetGroup").Where(t => V.IsFalse(t["healthCheck.enabled"]) || (V.Str(t["targetType"]) != "lambda" && t["healthCheck.path"] is null))
                .Select(t => t.Violation("has no explicit health check path.", "set healthCheck: {enabled: true, path: /healthz, matcher: \"200\"}"))),
    ];
}
