using System.Text.Json.Nodes;
using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Model;

namespace Platform.Infra.Components;

/// <summary>The stack's AWS Backup vault in its own region (<c>platform:dr</c>): where its backup jobs write, its copy jobs start and its restore drills read.</summary>
public sealed record BackupWatch(Output<string> VaultArn);

/// <summary>
/// Failed backup jobs, copy jobs and restore drills reach the alarm topic: one EventBridge rule on the default bus of
/// the stack's region matching the AWS Backup events that need a human, with the alarm topic as its target (AWS
/// Backup developer guide, "Monitoring AWS Backup events using Amazon EventBridge": detail-types, fields and states
/// are the guide's event examples).
/// <list type="bullet">
/// <item>Backup jobs report <c>detail.state</c>; FAILED, ABORTED and EXPIRED (the job never started within its
/// window) need a human. They carry <c>detail.backupVaultArn</c>: only this stack's vault matches, so two stacks in
/// one account never alert each other.</item>
/// <item>Copy jobs report <c>detail.state</c> FAILED, with <c>detail.sourceBackupVaultArn</c>. The plan's copy action
/// starts the copy job in the source region, where the job is listed (AWS Backup API reference, ListCopyJobs), so the
/// copy into the DR vault is watched here, by its source vault. The guide's copy examples do not show a cross-region
/// copy; a copy failure reported only in the DR region would not be seen by this rule.</item>
/// <item>Restore jobs, and so the weekly restore drills (they run in the stack's region, from this vault), report
/// <c>detail.status</c> FAILED or ABORTED, and a drill whose restored resource fails validation reports
/// <c>detail.validationStatus</c> FAILED or TIMED_OUT (the guide: restore job events carry the DescribeRestoreJob
/// fields of the job). The guide's FAILED example carries no vault at all, so a restore event matches when its vault
/// is this stack's or when it names none: a failure that names no vault alerts every DR stack of the account and
/// region rather than none.</item>
/// </list>
/// COMPLETED, RUNNING, PENDING and CREATED never match. AWS Backup delivers these events on a best-effort basis.
/// </summary>
public static class BackupAlerts
{
    public const string Source = "aws.backup";
    public const string BackupJob = "Backup Job State Change";
    public const string CopyJob = "Copy Job State Change";
    public const string RestoreJob = "Restore Job State Change";

    /// <summary>EventBridge rule names: 1-64 letters, digits, '.', '-' and '_' (EventBridge API reference, PutRule: Name).</summary>
    public const int RuleNameLength = 64;

    private const string VaultPlaceholder = "@vault@";

    /// <summary>The rule, created before the alarm topic so that the topic policy can admit exactly this rule.</summary>
    public static EventRule Rule(ComponentScope scope, BackupWatch watch) =>
        scope.Add("backup-failures", new EventRuleArgs
        {
            Name = scope.PhysicalName("backup-failures", RuleNameLength),
            Description = $"Failed AWS Backup jobs, copies and restore drills of {scope.Stack.Project}/{scope.Stack.Stack}, to its alarm topic.",
            EventPattern = Pattern(watch.VaultArn),
        });

    /// <summary>
    /// The rule's target: the alarm topic, published to with a readable message. No <c>roleArn</c>: EventBridge
    /// publishes to SNS under the topic policy (EventBridge user guide, "Using resource-based policies for Amazon
    /// EventBridge": a role on an SNS target can break delivery to a KMS-encrypted topic). It waits for the topic
    /// policy and the key, without which a failure in the first hours would be dropped.
    /// </summary>
    public static EventTarget Target(ComponentScope scope, EventRule rule, AlarmTopic topic) =>
        scope.Add("backup-failures-target", new EventTargetArgs
        {
            Rule = rule.Name,
            Arn = topic.Arn,
            TargetId = "alarm-topic",
            InputTransformer = new EventTargetInputTransformer
            {
                InputPaths = Message.Paths,
                InputTemplate = Message.Template,
            },
        }, new ResourceOptions { DependsOn = [topic.Policy, topic.Key.Key] });

    /// <summary>
    /// The event pattern as JSON, with the vault's ARN where <see cref="VaultPlaceholder"/> stands. "$or" matches
    /// when any branch does (EventBridge user guide, "Creating event patterns": "$or" and "exists" matching).
    /// </summary>
    public static Input<string> Pattern(Output<string> vaultArn)
    {
        JsonArray Vault() => [(JsonNode)VaultPlaceholder]; // JsonNode, not string: the published compiler is trimmed, with no reflection metadata for JsonArray.Add<string>
        JsonArray Any(params string[] values) => [.. values.Select(v => (JsonNode)v)];
        JsonArray OursOrUnnamed() => [(JsonNode)new JsonObject { ["backupVaultArn"] = Vault() }, (JsonNode)new JsonObject { ["backupVaultArn"] = new JsonArray(new JsonObject { ["exists"] = false }) }];
        JsonObject Branch(string detailType, JsonObject detail) => new() { ["detail-type"] = Any(detailType), ["detail"] = detail };

        var pattern = new JsonObject
        {
            ["source"] = Any(Source),
            ["$or"] = new JsonArray(
                Branch(BackupJob, new JsonObject { ["state"] = Any("FAILED", "ABORTED", "EXPIRED"), ["backupVaultArn"] = Vault() }),
                Branch(CopyJob, new JsonObject { ["state"] = Any("FAILED"), ["sourceBackupVaultArn"] = Vault() }),
                Branch(RestoreJob, new JsonObject { ["status"] = Any("FAILED", "ABORTED"), ["$or"] = OursOrUnnamed() }),
                Branch(RestoreJob, new JsonObject { ["validationStatus"] = Any("FAILED", "TIMED_OUT"), ["$or"] = OursOrUnnamed() })),
        };
        var parts = pattern.ToJsonString().Split(VaultPlaceholder);
        return Output.Join("", parts.SelectMany((text, i) => i == 0 ? [PolicyStatement.Literal(text)] : new[] { vaultArn, PolicyStatement.Literal(text) }));
    }

    /// <summary>
    /// What the topic's subscribers read: the kind of job, its state (backup and copy jobs) or status and validation
    /// (restore jobs), the resource, the vault and AWS Backup's own message (EventBridge user guide, "Amazon
    /// EventBridge input transformation"). Each kind of job fills the fields its events carry; the others stay unfilled.
    /// </summary>
    private static class Message
    {
        public static InputMap<string> Paths => new()
        {
            ["kind"] = "$.detail-type",
            ["account"] = "$.account",
            ["region"] = "$.region",
            ["time"] = "$.time",
            ["state"] = "$.detail.state",
            ["status"] = "$.detail.status",
            ["validation"] = "$.detail.validationStatus",
            ["resource"] = "$.detail.resourceArn",
            ["restored"] = "$.detail.sourceResourceArn",
            ["vault"] = "$.detail.backupVaultArn",
            ["copiedFrom"] = "$.detail.sourceBackupVaultArn",
            ["message"] = "$.detail.statusMessage",
        };

        /// <summary>Free text, the form of the EventBridge API reference's InputTransformer example ("&lt;instance&gt; is in state &lt;status&gt;").</summary>
        public const string Template =
            "AWS Backup needs attention: <kind> in <account>/<region> at <time>. State: <state><status> <validation>. " +
            "Resource: <resource><restored>. Vault: <vault><copiedFrom>. Message: <message>";
    }
}
