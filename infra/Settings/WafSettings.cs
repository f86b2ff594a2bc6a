namespace Platform.Infra.Settings;

/// <summary>
/// The stack's web application firewall (<c>platform:waf</c>): on by default, in front of every load balancer and
/// every CloudFront distribution that does not name its own web ACL.
/// </summary>
/// <param name="Enabled">Whether the stack builds its web ACLs.</param>
/// <param name="RateLimit">Requests one client IP may send in five minutes before it is blocked.</param>
/// <param name="ManagedRuleGroups">AWS managed rule groups, evaluated in this order after the rate limit.</param>
public sealed record WafSettings(bool Enabled, int RateLimit, IReadOnlyList<string> ManagedRuleGroups)
{
    public const string Key = "platform:waf";

    /// <summary>AWS WAF's range of a rate-based rule's limit (AWS WAF developer guide, "Rate-based rule statement").</summary>
    public const int MinRateLimit = 10;

    public const int MaxRateLimit = 2_000_000_000;

    /// <summary>The capacity the web ACL's base price covers; AWS charges for more, up to 5,000 (AWS WAF pricing).</summary>
    public const int IncludedCapacity = 1500;

    /// <summary>
    /// The AWS managed rule groups without a subscription fee, and their web ACL capacity units (AWS WAF developer
    /// guide, "AWS Managed Rules rule groups list"). Bot Control, fraud control and anti-DDoS groups cost extra per
    /// request and need their own configuration: not offered here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> RuleGroupCapacity = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AWSManagedRulesCommonRuleSet"] = 700,
        ["AWSManagedRulesAdminProtectionRuleSet"] = 100,
        ["AWSManagedRulesKnownBadInputsRuleSet"] = 200,
        ["AWSManagedRulesSQLiRuleSet"] = 200,
        ["AWSManagedRulesLinuxRuleSet"] = 200,
        ["AWSManagedRulesUnixRuleSet"] = 100,
        ["AWSManagedRulesWindowsRuleSet"] = 200,
        ["AWSManagedRulesPHPRuleSet"] = 100,
        ["AWSManagedRulesWordPressRuleSet"] = 100,
        ["AWSManagedRulesAmazonIpReputationList"] = 25,
        ["AWSManagedRulesAnonymousIpList"] = 50,
    };

    /// <summary>The baseline: OWASP-style common rules, known bad inputs (e.g. Log4j), Amazon's IP reputation list.</summary>
    public static readonly WafSettings Default = new(true, 2000, ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"]);

    /// <summary>The capacity units of the rate-based rule (one IP aggregation, no scope-down).</summary>
    public const int RateRuleCapacity = 2;

    public int Capacity => RateRuleCapacity + ManagedRuleGroups.Sum(g => RuleGroupCapacity[g]);

    internal static WafSettings Read(ConfigReader reader)
    {
        var o = new ObjectReader(reader, Key, reader.Json(Key, required: false, "see docs/configuration.md, \"platform:waf\""));
        var enabled = o.Bool("enabled", Default.Enabled)!.Value;
        var rate = o.Int("rateLimit", Default.RateLimit, MinRateLimit, MaxRateLimit, "requests per client IP in 5 minutes")!.Value;
        var groups = o.Strings("managedRuleGroups", "[AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet]") ?? Default.ManagedRuleGroups;
        var known = new List<string>();
        for (var i = 0; i < groups.Count; i++)
        {
            var name = groups[i];
            var path = $"{o.Path("managedRuleGroups")}[{i}]";
            if (!RuleGroupCapacity.ContainsKey(name))
            {
                var suggestion = ConfigReader.Closest(name, RuleGroupCapacity.Keys);
                reader.Add(path, $"'{MessageMask.Shorten(name)}' is not an AWS managed rule group offered here ({string.Join(", ", RuleGroupCapacity.Keys)}).",
                    ConfigFix.Set(path, suggestion ?? "AWSManagedRulesCommonRuleSet"));
            }
            else if (known.Contains(name, StringComparer.Ordinal))
                reader.Add(path, $"'{name}' is listed twice.", $"remove the second entry from {o.Path("managedRuleGroups")} in Pulumi.{{stack}}.yaml");
            else known.Add(name);
        }
        var settings = new WafSettings(enabled, rate, known);
        if (settings.Capacity > IncludedCapacity)
            reader.Add(o.Path("managedRuleGroups"), $"need {settings.Capacity} web ACL capacity units, more than the {IncludedCapacity} the web ACL's price includes.",
                $"list fewer rule groups in {o.Path("managedRuleGroups")} (capacities: {string.Join(", ", known.Select(g => $"{g} {RuleGroupCapacity[g]}"))})");
        o.RejectUnknown();
        return settings;
    }
}
