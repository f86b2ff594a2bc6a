using System.Text.Json;
using Platform.Infra.Components;
using Platform.Infra.Components.Baseline;
using Platform.Infra.Model;
using Platform.Infra.Policies;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>
/// The account baseline (platform:baseline): a trail that only this account's trail may write to, AWS Config recording
/// once it can deliver, GuardDuty, Security Hub with FSBP of the stack's Region, the account settings, and a budget
/// that alerts to the alarm topic.
/// </summary>
public partial class BaselineTests
{
    private const string Account = "111111111111";
    private const string TrailArn = $"arn:aws:cloudtrail:eu-west-1:{Account}:trail/platform-test-baseline-trail";
    private const string Bucket = "arn:aws:s3:::baseline-audit-bucket";

    internal static Dictionary<string, string> Config(string baseline = """{"enabled": true, "budget": {"limitUsd": 250, "emails": ["finance@example.com"]}}""", string region = "eu-west-1") =>
        TestStacks.Config(c =>
        {
            c[BaselineSettings.Key] = baseline;
            c["aws:region"] = region;
        });

    private static Template Template(string? baseline = null, string region = "eu-west-1")
    {
        var result = TestStacks.Compile(baseline is null ? Config(region: region) : Config(baseline, region));
        Assert.True(result.Succeeded, result.ErrorMessage);
        return result.Template!;
    }

    private static IReadOnlyList<JsonElement> Policy(Template template, string resource) => StorageStacks.PolicyOf(template, resource);

    /// <summary>The statements a service principal is named in (the simulator asks about one caller: the service).</summary>
    private static IReadOnlyList<JsonElement> For(string service, IEnumerable<JsonElement> statements) =>
        [.. statements.Where(s => s.TryGetProperty("Principal", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("Service", out var svc) && StorageStacks.Strings(svc).Contains(service))];

    private static PolicyDecision TrailWrites(string sourceArn, string acl = "bucket-owner-full-control") => PolicySimulator.Decide(For("cloudtrail.amazonaws.com", Policy(Template(), "baseline-audit-policy")),
        PolicyRequest.Of("s3:PutObject", $"{Bucket}/AWSLogs/{Account}/CloudTrail/eu-west-1/2026/11/26/log.json.gz",
            ("aws:SecureTransport", "true"), ("aws:SourceArn", sourceArn), ("s3:x-amz-acl", acl)));

    [Fact]
    public void The_audit_bucket_admits_cloudtrail_for_this_accounts_trail_only()
    {
        Assert.Equal(PolicyDecision.Allow, TrailWrites(TrailArn));
        Assert.Equal(PolicyDecision.NotAllowed, TrailWrites($"arn:aws:cloudtrail:eu-west-1:{Account}:trail/someone-elses-trail"));
        Assert.Equal(PolicyDecision.NotAllowed, TrailWrites("arn:aws:cloudtrail:eu-west-1:999999999999:trail/platform-test-baseline-trail"));
        Assert.Equal(PolicyDecision.NotAllowed, TrailWrites(TrailArn, acl: "private"));

        var statements = Policy(Template(), "baseline-audit-policy");
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(For("cloudtrail.amazonaws.com", statements), PolicyRequest.Of("s3:GetBucketAcl", Bucket, ("aws:SourceArn", TrailArn))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(For("cloudtrail.amazonaws.com", statements), PolicyRequest.Of("s3:GetBucketAcl", Bucket, ("aws:SourceArn", $"arn:aws:cloudtrail:eu-west-1:{Account}:trail/other"))));
        Assert.Equal(PolicyDecision.ExplicitDeny, PolicySimulator.Decide(statements, PolicyRequest.Of("s3:GetObject", $"{Bucket}/AWSLogs/x", ("aws:SecureTransport", "false"))));
    }

    [Fact]
    public void The_trail_is_multi_region_validated_encrypted_and_created_after_the_bucket_policy()
    {
        var template = Template();
        var trail = template.Get("baseline-trail");
        Assert.Equal(TrailArn, $"arn:aws:cloudtrail:eu-west-1:{Account}:trail/{trail.Text("name")}");
        Assert.Equal("true", trail.Text("isMultiRegionTrail"));
        Assert.Equal("true", trail.Text("enableLogFileValidation"));
        Assert.Equal("true", trail.Text("eventSelectors[0].includeManagementEvents"));
        Assert.Equal("All", trail.Text("eventSelectors[0].readWriteType"));
        Assert.Equal("${baseline-audit-key.arn}", trail.Text("kmsKeyId"));
        Assert.Equal("${baseline-audit-bucket.id}", trail.Text("s3BucketName"));
        Assert.Contains(trail.Options.DependsOn!, r => r.LogicalName == "baseline-audit-policy");
    }

    [Fact]
    public void The_audit_key_lets_cloudtrail_encrypt_for_this_trail_only()
    {
        var statements = For("cloudtrail.amazonaws.com", Policy(Template(), "baseline-audit-key"));
        PolicyDecision Encrypt(string trail) => PolicySimulator.Decide(statements, PolicyRequest.Of("kms:GenerateDataKey", "*",
            ("aws:SourceArn", trail), ("kms:EncryptionContext:aws:cloudtrail:arn", trail)));
        Assert.Equal(PolicyDecision.Allow, Encrypt(TrailArn));
        Assert.Equal(PolicyDecision.NotAllowed, Encrypt($"arn:aws:cloudtrail:eu-west-1:{Account}:trail/other"));
        Assert.Equal(PolicyDecision.NotAllowed, Encrypt("arn:aws:cloudtrail:eu-west-1:999999999999:trail/platform-test-baseline-trail"));
    }

    [Theory]
    [InlineData("eu-west-1", "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0")]
    [InlineData("us-gov-west-1", "arn:aws-us-gov:securityhub:us-gov-west-1::standards/aws-foundational-security-best-practices/v/1.0.0")]
    public void Security_hub_subscribes_to_fsbp_of_the_stacks_region_and_partition_only(string region, string standard)
    {
        var template = Template(region: region);
        var subscription = template.Get("baseline-securityhub-fsbp");
        Assert.Equal(standard, subscription.Text("standardsArn"));
        Assert.Contains(subscription.Options.DependsOn!, r => r.LogicalName == "baseline-securityhub");
        Assert.Equal("false", template.Get("baseline-securityhub").Text("enableDefaultStandards"));
    }

    [Fact]
    public void Config_records_with_its_service_linked_role_which_the_stack_creates_unless_the_account_has_it()
    {
        var template = Template();
        var recorder = template.Get("baseline-config-recorder");
        Assert.Equal("arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", recorder.Text("roleArn"));
        var role = template.Get("baseline-config-service-role");
        Assert.Equal("config.amazonaws.com", role.Text("awsServiceName"));
        Assert.True(role.Options.RetainOnDelete);
        Assert.Equal(["baseline-config-service-role"], recorder.Options.DependsOn!.Select(r => r.LogicalName));

        var existing = Template("""{"enabled": true, "configServiceLinkedRole": "existing"}""");
        Assert.Null(existing.Find("baseline-config-service-role"));
        Assert.Equal(recorder.Text("roleArn"), existing.Get("baseline-config-recorder").Text("roleArn"));
        Assert.Null(existing.Get("baseline-config-recorder").Options.DependsOn);
    }

    [Fact]
    public void A_recorder_with_a_role_of_its_own_fails_config_1()
    {
        Assert.Contains(Mandatory("config"), f => f.Control == "Config.1");
        Assert.DoesNotContain(Mandatory("aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"), f => f.Control == "Config.1");

        static IReadOnlyList<Finding> Mandatory(string role)
        {
            var template = new Template("config");
            var recorder = template.Add(new Aws.Cfg.Recorder("recorder", new Aws.Cfg.RecorderArgs
            {
                Name = "default",
                RoleArn = $"arn:aws:iam::{Account}:role/{role}",
                RecordingGroup = new Aws.Cfg.RecorderRecordingGroup { AllSupported = true, IncludeGlobalResourceTypes = true },
            }));
            template.Add(new Aws.Cfg.RecorderStatus("recording", new Aws.Cfg.RecorderStatusArgs { Name = recorder.Name, IsEnabled = true }));
            return PolicyEngine.Evaluate(template, StageProfile.Safest, [], new DateOnly(2026, 1, 1), [Account]).Mandatory;
        }
    }

    [Fact]
    public void Config_records_everything_and_starts_only_after_its_delivery_channel_exists()
    {
        var template = Template();
        var recorder = template.Get("baseline-config-recorder");
        Assert.Equal("true", recorder.Text("recordingGroup.allSupported"));
        Assert.Equal("true", recorder.Text("recordingGroup.includeGlobalResourceTypes"));
        var channel = template.Get("baseline-config-delivery");
        Assert.Equal(["baseline-audit-policy", "baseline-config-recorder"], channel.Options.DependsOn!.Select(r => r.LogicalName).Order());
        var status = template.Get("baseline-config-recording");
        Assert.Equal("true", status.Text("isEnabled"));
        Assert.Equal(["baseline-config-delivery"], status.Options.DependsOn!.Select(r => r.LogicalName));

        // Config writes its history under its prefix, for this account only.
        var statements = For("config.amazonaws.com", Policy(template, "baseline-audit-policy"));
        PolicyDecision Deliver(string account) => PolicySimulator.Decide(statements, PolicyRequest.Of("s3:PutObject", $"{Bucket}/config/AWSLogs/{Account}/Config/eu-west-1/x.json.gz",
            ("aws:SecureTransport", "true"), ("aws:SourceAccount", account), ("s3:x-amz-acl", "bucket-owner-full-control")));
        Assert.Equal(PolicyDecision.Allow, Deliver(Account));
        Assert.Equal(PolicyDecision.NotAllowed, Deliver("999999999999"));
    }

    [Fact]
    public void Budget_alerts_go_to_the_alarm_topic_whose_topic_and_key_policies_admit_this_accounts_budgets()
    {
        var template = Template();
        var budget = template.Get("baseline-budget");
        Assert.Equal("250", budget.Text("limitAmount"));
        Assert.Equal(["FORECASTED", "ACTUAL"], ((ListValue)budget.Prop("notifications")!).Items.Select(n => TemplateQuery.Text(TemplateQuery.At(n, "notificationType"))));
        Assert.Equal("${monitoring-alarms.arn}", budget.Text("notifications[0].subscriberSnsTopicArns[0]"));
        Assert.Equal(["monitoring-alarms-policy"], budget.Options.DependsOn!.Select(r => r.LogicalName));
        Assert.Equal("finance@example.com", budget.Text("notifications[1].subscriberEmailAddresses[0]"));

        var ours = $"arn:aws:budgets::{Account}:budget/platform-test-baseline-monthly-cost";
        var topic = For(AlarmTopic.Budgets, Policy(template, "monitoring-alarms-policy"));
        PolicyDecision Publish(string account, string source) => PolicySimulator.Decide(topic, PolicyRequest.Of("sns:Publish", "arn:aws:sns:eu-west-1:111111111111:monitoring-alarms",
            ("aws:SourceAccount", account), ("aws:SourceArn", source)));
        Assert.Equal(PolicyDecision.Allow, Publish(Account, ours));
        Assert.Equal(PolicyDecision.NotAllowed, Publish("999999999999", "arn:aws:budgets::999999999999:budget/x"));
        // Budgets encrypts with the topic's key: data-key use only, by the Budgets service.
        var key = For(AlarmTopic.Budgets, Policy(template, "monitoring-alarms-key"));
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(key, PolicyRequest.Of("kms:GenerateDataKey", "*")));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(key, PolicyRequest.Of("kms:ScheduleKeyDeletion", "*")));
    }

    [Fact]
    public void A_stack_that_does_not_carry_the_baseline_has_none_of_it_and_its_topic_admits_no_budgets()
    {
        var template = Template("""{"enabled": false, "budget": {"limitUsd": 250}}""");
        Assert.DoesNotContain(template.Resources, r => r.LogicalName.StartsWith("baseline-", StringComparison.Ordinal));
        Assert.DoesNotContain(template.Resources, r => r.TypeToken.Split(':')[1].Split('/')[0] is "cloudtrail" or "cfg" or "guardduty" or "securityhub" or "accessanalyzer" or "budgets" or "ebs");
        Assert.DoesNotContain(StackOutputs.AuditBucketName, template.Outputs.Keys);
        Assert.DoesNotContain(AlarmTopic.Budgets, template.Get("monitoring-alarms-policy").Prop("policy")!.ToString());
    }

    [Fact]
    public void Where_an_organization_trail_and_control_tower_record_the_account_the_stack_builds_neither_nor_the_audit_bucket()
    {
        var template = Template("""{"enabled": true, "cloudTrail": "organization", "config": "existing"}""");
        Assert.DoesNotContain(template.Resources, r => r.LogicalName.StartsWith("baseline-audit", StringComparison.Ordinal) || r.LogicalName.StartsWith("baseline-config", StringComparison.Ordinal));
        Assert.Null(template.Resources.FirstOrDefault(r => r.LogicalName == "baseline-trail"));
        Assert.NotNull(template.Get("baseline-guardduty"));
        Assert.Equal(AccountBaseline.S3Protection, template.Get("baseline-guardduty-s3").Text("name"));
    }

    [Fact]
    public void Destroying_a_throw_away_stack_leaves_the_audit_logs_and_the_key_that_reads_them()
    {
        // The test stack is unprotected with disposable data, like dev.
        var template = Template();
        foreach (var name in new[] { "baseline-audit-bucket", "baseline-audit-key" })
        {
            var options = template.Get(name).Options;
            Assert.True(options.RetainOnDelete, $"{name} is deleted with the stack");
            Assert.Null(options.Protect);
        }
        Assert.Equal("false", template.Get("baseline-audit-bucket").Text("forceDestroy"));
    }

    [Fact]
    public void Object_lock_keeps_each_log_version_for_its_retention()
    {
        var template = Template("""{"enabled": true, "audit": {"objectLock": true, "objectLockMode": "COMPLIANCE", "objectLockDays": 400}}""");
        Assert.Equal("true", template.Get("baseline-audit-bucket").Text("objectLockEnabled"));
        var lockConfig = template.Get("baseline-audit-object-lock");
        Assert.Equal("COMPLIANCE", lockConfig.Text("rule.defaultRetention.mode"));
        Assert.Equal("400", lockConfig.Text("rule.defaultRetention.days"));
    }
}
