using System.Text.Json;
using System.Text.Json.Nodes;
using Moq;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>
/// Failed backup jobs, copy jobs and restore drills of a DR stack reach its alarm topic: the rule matches the events
/// of the AWS Backup developer guide ("Monitoring AWS Backup events using Amazon EventBridge") that need a human,
/// for this stack's vault only, and the topic admits exactly that rule.
/// </summary>
public class BackupAlertsTests
{
    private const string Account = "333333333333";
    private const string Vault = $"arn:aws:backup:eu-west-1:{Account}:backup-vault:platform-prod-backup-vault";
    private const string OtherVault = $"arn:aws:backup:eu-west-1:{Account}:backup-vault:platform-stage-backup-vault";
    private const string Rule = $"arn:aws:events:eu-west-1:{Account}:rule/platform-prod-monitoring-backup-failures";

    private static Template Stack(string stack)
    {
        var result = TestStacks.CompileChecked(stack, DrSettings.Key);
        Assert.True(result.Succeeded, result.ErrorMessage);
        return result.Template!;
    }

    private static Evaluator Evaluator(Template template)
    {
        var outputs = new Mock<IDeployedOutputs>(MockBehavior.Strict);
        outputs.Setup(o => o.Get(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>())).Returns((string name, string type, string path) => (type, path) switch
        {
            ("aws:backup/vault:Vault", "arn") => $"arn:aws:backup:eu-west-1:{Account}:backup-vault:{template.Get(name).Text("name")}",
            ("aws:cloudwatch/eventRule:EventRule", "arn") => $"arn:aws:events:eu-west-1:{Account}:rule/{template.Get(name).Text("name")}",
            ("aws:sns/topic:Topic", "arn") => $"arn:aws:sns:eu-west-1:{Account}:{template.Get(name).Text("name")}",
            _ => throw new InvalidOperationException($"unexpected output {name}.{path} ({type})"),
        });
        return new Evaluator(template, outputs.Object);
    }

    private static JsonElement Pattern(Template template) => Evaluator(template).Json(template.Get("monitoring-backup-failures").Prop("eventPattern")!);

    /// <summary>An event shaped like the guide's examples, in this stack's account and region.</summary>
    private static JsonElement Event(string detailType, object detail) => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["version"] = "0",
        ["id"] = "710b0398-d48e-f3c3-afca-cfeb2fdaa656",
        ["detail-type"] = detailType,
        ["source"] = "aws.backup",
        ["account"] = Account,
        ["time"] = "2026-11-22T05:15:26Z",
        ["region"] = "eu-west-1",
        ["resources"] = Array.Empty<string>(),
        ["detail"] = detail,
    });

    private static JsonElement BackupJob(string state, string vault) => Event("Backup Job State Change", new Dictionary<string, object>
    {
        ["backupJobId"] = "34176239-e96d-4e1d-9fad-529dbb3c3556",
        ["backupVaultArn"] = vault,
        ["backupVaultName"] = vault.Split(':')[^1],
        ["resourceArn"] = $"arn:aws:rds:eu-west-1:{Account}:db:platform-prod-database",
        ["resourceType"] = "RDS",
        ["state"] = state,
        ["statusMessage"] = "Backup job failed because backup vault does not exist.",
        ["percentDone"] = 0,
    });

    private static JsonElement CopyJob(string state, string sourceVault) => Event("Copy Job State Change", new Dictionary<string, object>
    {
        ["copyJobId"] = "47C8EF56-74D8-059D-1301-C5BE1D5C926E",
        ["resourceArn"] = $"arn:aws:rds:eu-west-1:{Account}:db:platform-prod-database",
        ["resourceType"] = "RDS",
        ["sourceBackupVaultArn"] = sourceVault,
        ["destinationBackupVaultArn"] = $"arn:aws:backup:eu-central-1:{Account}:backup-vault:platform-prod-backup-dr-vault",
        ["state"] = state,
        ["statusMessage"] = "Access denied exception",
    });

    /// <summary>The guide's FAILED restore job names no vault; its COMPLETED one does.</summary>
    private static JsonElement RestoreJob(string status, string? vault, string? validation = null)
    {
        var detail = new Dictionary<string, object>
        {
            ["restoreJobId"] = "1B234A56-789B-01CD-2A34-4567A08901FD",
            ["resourceType"] = "RDS",
            ["status"] = status,
            ["percentDone"] = 0,
        };
        if (vault is not null) detail["backupVaultArn"] = vault;
        if (validation is not null) detail["validationStatus"] = validation;
        return Event("Restore Job State Change", detail);
    }

    [Fact]
    public void Failed_backup_copy_and_restore_jobs_of_the_stack_match_and_completed_ones_do_not()
    {
        var pattern = Pattern(Stack("prod"));
        Assert.All(new[]
        {
            BackupJob("FAILED", Vault), BackupJob("ABORTED", Vault), BackupJob("EXPIRED", Vault),
            CopyJob("FAILED", Vault),
            RestoreJob("FAILED", vault: null), RestoreJob("FAILED", Vault), RestoreJob("ABORTED", vault: null),
            RestoreJob("COMPLETED", Vault, validation: "FAILED"), RestoreJob("COMPLETED", Vault, validation: "TIMED_OUT"),
        }, e => Assert.True(EventPattern.Matches(pattern, e), e.ToString()));

        Assert.All(new[]
        {
            BackupJob("COMPLETED", Vault), BackupJob("RUNNING", Vault),
            CopyJob("COMPLETED", Vault), CopyJob("RUNNING", Vault),
            RestoreJob("COMPLETED", Vault), RestoreJob("COMPLETED", Vault, validation: "SUCCESSFUL"), RestoreJob("RUNNING", vault: null),
        }, e => Assert.False(EventPattern.Matches(pattern, e), e.ToString()));
    }

    [Fact]
    public void Another_stacks_jobs_in_the_same_account_do_not_alert_this_stack()
    {
        var pattern = Pattern(Stack("prod"));
        Assert.False(EventPattern.Matches(pattern, BackupJob("FAILED", OtherVault)));
        Assert.False(EventPattern.Matches(pattern, CopyJob("FAILED", OtherVault)));
        Assert.False(EventPattern.Matches(pattern, RestoreJob("FAILED", OtherVault)));
    }

    [Fact]
    public void The_rule_publishes_a_readable_message_to_the_alarm_topic_once_the_topic_admits_it()
    {
        var template = Stack("prod");
        var target = template.Get("monitoring-backup-failures-target");
        Assert.Equal("${monitoring-alarms.arn}", target.Text("arn"));
        Assert.Equal("${monitoring-backup-failures.name}", target.Text("rule"));
        Assert.Null(target.Text("roleArn"));
        Assert.Equal("$.detail.statusMessage", target.Text("inputTransformer.inputPaths.message"));
        Assert.Contains("<kind>", target.Text("inputTransformer.inputTemplate"), StringComparison.Ordinal);
        Assert.Contains("monitoring-alarms-policy", target.Options.DependsOn!.Select(r => r.LogicalName));
        Assert.Equal("platform-prod-monitoring-backup-failures", template.Get("monitoring-backup-failures").Text("name"));
    }

    private static List<JsonElement> EventBridgeStatements(Template template, string resource, string property) =>
        Evaluator(template).Json(template.Get(resource).Prop(property)!).GetProperty("Statement").EnumerateArray()
            .Where(s => s.GetProperty("Principal").TryGetProperty("Service", out var service) && service.ToString().Contains("events.amazonaws.com", StringComparison.Ordinal))
            .ToList();

    [Fact]
    public void The_topic_admits_only_this_stacks_rule_and_eventbridge_may_use_the_topic_key()
    {
        var template = Stack("prod");
        var topic = $"arn:aws:sns:eu-west-1:{Account}:platform-prod-monitoring-alarms";
        var policy = EventBridgeStatements(template, "monitoring-alarms-policy", "policy");
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(policy, PolicyRequest.Of("sns:Publish", topic, ("aws:SourceArn", Rule), ("aws:SourceAccount", Account))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(policy, PolicyRequest.Of("sns:Publish", topic,
            ("aws:SourceArn", $"arn:aws:events:eu-west-1:{Account}:rule/platform-stage-monitoring-backup-failures"), ("aws:SourceAccount", Account))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(policy, PolicyRequest.Of("sns:Publish", topic, ("aws:SourceArn", Rule), ("aws:SourceAccount", "444444444444"))));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(policy, PolicyRequest.Of("sns:Publish", topic)));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(policy, PolicyRequest.Of("sns:Subscribe", topic, ("aws:SourceArn", Rule), ("aws:SourceAccount", Account))));

        var key = EventBridgeStatements(template, "monitoring-alarms-key", "policy");
        var keyArn = $"arn:aws:kms:eu-west-1:{Account}:key/monitoring-alarms-key";
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(key, PolicyRequest.Of("kms:GenerateDataKey", keyArn)));
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(key, PolicyRequest.Of("kms:Decrypt", keyArn)));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(key, PolicyRequest.Of("kms:Encrypt", keyArn)));
        Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(key, PolicyRequest.Of("kms:ScheduleKeyDeletion", keyArn)));
    }

    [Fact]
    public void Dev_without_dr_has_no_rule_and_its_topic_admits_no_eventbridge()
    {
        var dev = TestStacks.CompileChecked("dev", DrSettings.Key);
        Assert.True(dev.Succeeded, dev.ErrorMessage);
        Assert.DoesNotContain(dev.Template!.Resources, r => r.TypeToken.StartsWith("aws:cloudwatch/event", StringComparison.Ordinal));
        Assert.Empty(EventBridgeStatements(dev.Template!, "monitoring-alarms-policy", "policy"));
        Assert.Empty(EventBridgeStatements(dev.Template!, "monitoring-alarms-key", "policy"));
    }
}

/// <summary>
/// The subset of EventBridge event patterns the platform writes (EventBridge user guide, "Creating event patterns"):
/// a field's array matches when the event's value equals one of its strings or satisfies one of its
/// <c>{"exists": bool}</c> filters; a nested object matches the nested event object; <c>"$or"</c> matches when one of
/// its patterns does; every field of a pattern must match.
/// </summary>
public static class EventPattern
{
    public static bool Matches(JsonElement pattern, JsonElement @event)
    {
        foreach (var field in pattern.EnumerateObject())
        {
            if (field.Name == "$or")
            {
                if (!field.Value.EnumerateArray().Any(branch => Matches(branch, @event))) return false;
                continue;
            }
            var value = default(JsonElement);
            var present = @event.ValueKind == JsonValueKind.Object && @event.TryGetProperty(field.Name, out value);
            if (field.Value.ValueKind == JsonValueKind.Object)
            {
                if (!present || !Matches(field.Value, value)) return false;
                continue;
            }
            if (!field.Value.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.Object
                    ? f.GetProperty("exists").GetBoolean() == present
                    : present && value.ValueKind == JsonValueKind.String && value.GetString() == f.GetString()))
                return false;
        }
        return true;
    }
}
