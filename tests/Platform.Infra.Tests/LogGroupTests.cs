using System.Text.Json;
using Moq;
using Platform.Automation.Stacks;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>Every log group of a stack is encrypted with the stack's log key, which only CloudWatch Logs of the stack's account and region may use.</summary>
public class LogGroupTests
{
    private static readonly ProjectLayout Layout = new(TestStacks.RepoRoot);

    public static TheoryData<string> Stacks => ["dev", "stage", "prod"];

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Every_log_group_is_encrypted_with_the_stacks_log_key_and_kept_for_the_stages_retention(string stack)
    {
        var result = Layout.Compile(stack);
        Assert.True(result.Succeeded, result.ErrorMessage);
        var groups = result.Template!.Resources.Where(r => r.TypeToken == "aws:cloudwatch/logGroup:LogGroup").ToList();

        // Flow logs, the database's exports, the users task and the signatures containers.
        Assert.True(groups.Count >= 5, $"{stack} has {groups.Count} log groups");
        Assert.All(groups, g =>
        {
            // The stack's region, or a log key of the group's own region (WAF logs of CloudFront are in us-east-1).
            Assert.Equal(g.Text("region") is { } region ? $"logs-key-{region}" : "logs-key", Assert.IsType<ReferenceValue>(g.Prop("kmsKeyId")).Resource);
            Assert.Equal(result.Settings!.Profile.LogRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture), g.Text("retentionInDays"));
        });
    }

    [Theory]
    [InlineData("arn:aws:logs:eu-west-1:111111111111:log-group:/platform/test/network/flow-logs", PolicyDecision.Allow)]
    [InlineData("arn:aws:logs:eu-west-1:999999999999:log-group:/elsewhere", PolicyDecision.NotAllowed)]   // another account's group
    [InlineData("arn:aws:logs:us-east-1:111111111111:log-group:/elsewhere", PolicyDecision.NotAllowed)]   // another region's
    public void CloudWatch_logs_may_use_the_key_only_for_the_accounts_log_groups_in_the_stacks_region(string logGroup, PolicyDecision expected)
    {
        var template = TestStacks.Template();
        var policy = new Evaluator(template, Mock.Of<IDeployedOutputs>()).Json(template.Get("logs-key").Prop("policy")!);
        var forLogs = policy.GetProperty("Statement").EnumerateArray()
            .Where(s => Principals(s).SequenceEqual(["logs.eu-west-1.amazonaws.com"]))
            .ToList();

        Assert.Equal(expected, PolicySimulator.Decide(forLogs, PolicyRequest.Of("kms:GenerateDataKey", "*", ("kms:EncryptionContext:aws:logs:arn", logGroup))));
        // No other service, and no principal outside the account, is named in the key policy.
        Assert.Equal(["arn:aws:iam::111111111111:root", "logs.eu-west-1.amazonaws.com"], policy.GetProperty("Statement").EnumerateArray().SelectMany(Principals).Order());
    }

    private static IEnumerable<string> Principals(JsonElement statement) =>
        statement.GetProperty("Principal").EnumerateObject().SelectMany(p => p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().Select(v => v.GetString()!) : [p.Value.GetString()!]);

    [Fact]
    public void The_log_key_rotates_and_is_protected_where_the_stage_protects_its_data()
    {
        var prod = Layout.Compile("prod").Template!.Get("logs-key");
        Assert.Equal("true", prod.Text("enableKeyRotation"));
        Assert.True(prod.Options.Protect);
        Assert.NotEqual(true, Layout.Compile("dev").Template!.Get("logs-key").Options.Protect);
    }
}
