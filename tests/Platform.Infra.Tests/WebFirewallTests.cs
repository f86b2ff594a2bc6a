using System.Text.Json.Nodes;
using Moq;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>
/// The stack's web application firewall: a regional web ACL on every load balancer, a CloudFront-scoped one in
/// us-east-1 on every distribution, both rate-limited, with the managed rule groups of the settings, metrics, and
/// logs without credentials.
/// </summary>
public class WebFirewallTests
{
    private static CompileResult Compile(string stack, Action<JsonObject>? waf = null) => TestStacks.CompileChecked(stack, WafSettings.Key, waf);

    private static Template Prod => Compile("prod").Template!;

    private static string? Text(Value value, string path) => TemplateQuery.Text(TemplateQuery.At(value, path), path);

    [Fact]
    public void Every_load_balancer_and_distribution_is_behind_a_web_acl_of_the_right_scope_and_region()
    {
        var template = Prod;
        var association = template.Get("signatures-app-waf");
        Assert.Equal("${signatures-app-alb.arn}", association.Text("resourceArn"));
        Assert.Equal("${waf-regional.arn}", association.Text("webAclArn"));
        Assert.Equal("REGIONAL", template.Get("waf-regional").Text("scope"));
        Assert.Null(template.Get("waf-regional").Prop("region"));

        var distributions = template.Resources.Where(r => r.TypeToken == "aws:cloudfront/distribution:Distribution").ToList();
        Assert.NotEmpty(distributions);
        Assert.All(distributions, d => Assert.Equal("${waf-edge.arn}", d.Text("webAclId")));
        var edge = template.Get("waf-edge");
        Assert.Equal("CLOUDFRONT", edge.Text("scope"));
        Assert.Equal("us-east-1", edge.Text("region"));
    }

    [Fact]
    public void Requests_over_the_rate_limit_are_blocked_first_then_the_managed_rule_groups_run_in_order()
    {
        var rules = ((ListValue)Prod.Get("waf-regional").Prop("rules")!).Items.Cast<MapValue>().ToList();
        Assert.Equal(["rate-limit", .. WafSettings.Default.ManagedRuleGroups], rules.Select(r => Text(r, "name")));
        Assert.Equal(Enumerable.Range(0, rules.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rules.Select(r => Text(r, "priority")));
        Assert.Equal("2000", Text(rules[0], "statement.rateBasedStatement.limit"));
        Assert.Equal("IP", Text(rules[0], "statement.rateBasedStatement.aggregateKeyType"));
        Assert.NotNull(TemplateQuery.At(rules[0], "action.block"));
        Assert.All(rules.Skip(1), r =>
        {
            Assert.Equal("AWS", Text(r, "statement.managedRuleGroupStatement.vendorName"));
            Assert.NotNull(TemplateQuery.At(r, "overrideAction.none"));
        });
        Assert.All(rules, r => Assert.Equal("true", Text(r, "visibilityConfig.cloudwatchMetricsEnabled")));
    }

    [Theory]
    [InlineData("regional", null)]
    [InlineData("edge", "us-east-1")]
    public void Each_acl_logs_to_an_encrypted_group_of_its_region_without_credentials(string acl, string? region)
    {
        var template = Prod;
        var logging = template.Get($"waf-{acl}-logging");
        Assert.Equal($"${{waf-{acl}.arn}}", logging.Text("resourceArn"));
        Assert.Equal(region, logging.Text("region"));
        var headers = ((ListValue)logging.Prop("redactedFields")!).Items.Select(f => Text(f, "singleHeader.name"));
        Assert.Equal(["authorization", "cookie"], headers);

        var group = template.Get($"waf-{acl}-logs");
        Assert.Equal($"${{waf-{acl}-logs.arn}}", logging.Text("logDestinationConfigs[0]"));
        Assert.StartsWith("aws-waf-logs-", group.Text("name"));
        Assert.Equal(region, group.Text("region"));
        var key = region is null ? "logs-key" : $"logs-key-{region}";
        Assert.Equal($"${{{key}.arn}}", group.Text("kmsKeyId"));
        Assert.Equal(region, template.Get(key).Text("region"));
    }

    [Fact]
    public void The_us_east_1_log_key_admits_cloudwatch_logs_of_that_region_only()
    {
        var template = Prod;
        var policy = new Evaluator(template, Mock.Of<IDeployedOutputs>()).Json(template.Get("logs-key-us-east-1").Prop("policy")!);
        var logs = policy.GetProperty("Statement").EnumerateArray().Single(s => s.GetProperty("Sid").GetString() == "CloudWatchLogsOfThisAccount");
        Assert.Equal("logs.us-east-1.amazonaws.com", logs.GetProperty("Principal").GetProperty("Service")[0].GetString());
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide([logs], PolicyRequest.Of("kms:GenerateDataKey", "*",
            ("kms:EncryptionContext:aws:logs:arn", "arn:aws:logs:us-east-1:333333333333:log-group:aws-waf-logs-platform-prod-waf-edge"))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide([logs], PolicyRequest.Of("kms:GenerateDataKey", "*",
            ("kms:EncryptionContext:aws:logs:arn", "arn:aws:logs:eu-west-1:333333333333:log-group:aws-waf-logs-platform-prod-waf-edge"))));
    }

    [Fact]
    public void The_rate_limit_and_rule_groups_are_data_of_the_stack()
    {
        var result = Compile("dev", w =>
        {
            w["rateLimit"] = 500;
            w["managedRuleGroups"] = new JsonArray("AWSManagedRulesSQLiRuleSet");
        });
        Assert.True(result.Succeeded, result.ErrorMessage);
        var rules = ((ListValue)result.Template!.Get("waf-regional").Prop("rules")!).Items.Cast<MapValue>().ToList();
        Assert.Equal("500", Text(rules[0], "statement.rateBasedStatement.limit"));
        Assert.Equal("AWSManagedRulesSQLiRuleSet", Text(rules[1], "statement.managedRuleGroupStatement.name"));
    }

    [Fact]
    public void Turning_it_off_leaves_findings_in_a_throw_away_stage_and_fails_where_data_is_kept()
    {
        var dev = Compile("dev", w => w["enabled"] = false);
        Assert.True(dev.Succeeded, dev.ErrorMessage);
        Assert.DoesNotContain(dev.Template!.Resources, r => r.TypeToken.StartsWith("aws:wafv2/", StringComparison.Ordinal));
        Assert.Contains(dev.Policy!.Advisory, f => f.Control == "PLATFORM.WAF.1" && f.Resource == "signatures-app-alb");
        Assert.Contains(dev.Policy!.Advisory, f => f.Control == "CloudFront.6");

        var prod = Compile("prod", w => w["enabled"] = false);
        Assert.False(prod.Succeeded);
        Assert.Contains(prod.Policy!.Mandatory, f => f.Control == "PLATFORM.WAF.1");
        Assert.Contains(prod.Policy!.Mandatory, f => f.Control == "CloudFront.6");
    }

    [Fact]
    public void Bad_firewall_settings_are_refused_all_at_once_with_the_key_and_the_fix()
    {
        var problems = TestStacks.Problems(c => c[WafSettings.Key] = """
            {"rateLimit": 5, "managedRuleGroups": ["AWSManagedRulesCommonRuleSt", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesSQLiRuleSet",
              "AWSManagedRulesLinuxRuleSet", "AWSManagedRulesWindowsRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesCommonRuleSet"],
             "enable": true}
            """);
        Assert.Equal(
        [
            "platform:waf.enable",
            "platform:waf.managedRuleGroups",
            "platform:waf.managedRuleGroups[0]",
            "platform:waf.managedRuleGroups[2]",
            "platform:waf.rateLimit",
        ], problems.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.EndsWith("fix: pulumi config set --path 'platform:waf.managedRuleGroups[0]' AWSManagedRulesCommonRuleSet --stack test",
            problems.Single(p => p.Key == "platform:waf.managedRuleGroups[0]").Format("test"));
        Assert.Contains("from 10 to 2000000000", problems.Single(p => p.Key == "platform:waf.rateLimit").Problem);
        Assert.Contains("1502 web ACL capacity units", problems.Single(p => p.Key == "platform:waf.managedRuleGroups").Problem);
    }
}
