using Platform.Infra.Aws;
using Platform.Infra.Aws.Sns;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// Where a region's alarms go: an SNS topic encrypted with its own customer-managed key (SNS.1), a topic policy that
/// lets CloudWatch (alarms), RDS (event subscriptions) and, with <c>platform:dr</c>, the stack's EventBridge rule of
/// failed AWS Backup jobs publish, and the configured subscriptions.
/// <para>
/// CloudWatch and RDS publish to an encrypted topic only if the key policy lets their service principals use the key
/// (kms:GenerateDataKey*, kms:Decrypt); without it AWS drops every notification silently (Amazon SNS developer guide,
/// "Key management": "Enable compatibility between event sources from AWS services and encrypted topics").
/// </para>
/// </summary>
public sealed class AlarmTopic
{
    public const string CloudWatch = "cloudwatch.amazonaws.com";
    public const string RdsEvents = "events.rds.amazonaws.com";
    public const string Budgets = "budgets.amazonaws.com";
    public const string EventBridge = "events.amazonaws.com";

    /// <param name="role">The topic's role in the monitoring scope (<c>alarms</c>, or <c>edge-alarms</c> in us-east-1).</param>
    /// <param name="region">The region of the topic and its key (the stack's when null).</param>
    /// <param name="backupRule">The ARN of the EventBridge rule of failed AWS Backup jobs (<see cref="BackupAlerts"/>), the one rule that may publish; null without <c>platform:dr</c>.</param>
    public AlarmTopic(ComponentScope scope, string role, StackSettings settings, string? region, Output<string>? backupRule = null)
    {
        var aws = settings.Aws;
        Region = region ?? aws.Region;
        var account = PolicyStatement.Literal(aws.AccountId);
        // Every alarm of the stack is named <project>-<stack>-..., so CloudWatch may use the key and the topic only
        // for this stack's alarms in this region: the global condition keys AWS shows for both policies (AWS re:Post
        // knowledge center, "How do I configure a CloudWatch alarm with an encrypted SNS topic?" and "Why didn't I
        // receive an SNS notification for my CloudWatch alarm trigger?").
        var alarms = PolicyStatement.Literal($"arn:{aws.Partition}:cloudwatch:{Region}:{aws.AccountId}:alarm:{settings.Project}-{settings.Stack}-*");
        // The account's cost budget (platform:baseline.budget) alerts to the stack's own topic: AWS Budgets publishes for
        // this account's budgets only (the topic policy of the AWS Cost Management user guide, "Creating an Amazon SNS
        // topic for budget notifications"). The key statement has no condition, like the RDS one: the guide documents
        // none for the KMS request, and one on an absent key would drop every alert silently.
        var budgets = region is null && settings.Baseline is { Enabled: true, Budget: not null };
        var budgetConditions = PolicyStatement.Condition(("StringEquals", "aws:SourceAccount", account),
            ("ArnLike", "aws:SourceArn", PolicyStatement.Literal($"arn:{aws.Partition}:budgets::{aws.AccountId}:*")));
        Key = CustomerKey.Create(scope, $"{role}-key", aws, settings.Profile.Protect,
            $"Encrypts the alarm topic of {settings.Project}/{settings.Stack} in {Region}; CloudWatch and RDS events publish with it.",
            [
                CustomerKey.AccountPolicy(aws),
                new PolicyStatement
                {
                    Sid = "CloudWatchAlarmsPublishEncrypted",
                    Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Principal = PolicyStatement.ServicePrincipal(CloudWatch),
                    Resources = [PolicyStatement.Literal("*")],
                    Conditions = PolicyStatement.Condition(("StringEquals", "aws:SourceAccount", account), ("ArnLike", "aws:SourceArn", alarms)),
                },
                // RDS event notifications: the KMS request RDS makes is not documented to carry aws:SourceArn or
                // aws:SourceAccount, and a condition on a key that is absent would drop every event silently.
                DataKeysFor("RdsEventsPublishEncrypted", RdsEvents),
                .. budgets ? [DataKeysFor("BudgetsPublishEncrypted", Budgets)] : Array.Empty<PolicyStatement>(),
                // EventBridge needs the key to publish to an encrypted topic (EventBridge user guide, "Using
                // resource-based policies for Amazon EventBridge", Amazon SNS permissions). The guide's key statement
                // has no condition and documents no aws:SourceArn on the KMS request EventBridge makes; one on an
                // absent key would drop every alert silently. The topic policy below admits only the stack's rule.
                .. backupRule is not null ? [DataKeysFor("BackupEventsPublishEncrypted", EventBridge)] : Array.Empty<PolicyStatement>(),
            ], region);

        Topic = scope.Add(role, new TopicArgs
        {
            Name = scope.PhysicalName(role),
            DisplayName = $"{settings.Project}/{settings.Stack} alarms",
            KmsMasterKeyId = Key.Key.Arn,
            Region = Input<string>.Optional(region),
        });

        Policy = scope.Add($"{role}-policy", new TopicPolicyArgs
        {
            Arn = Topic.Arn,
            Region = Input<string>.Optional(region),
            Policy = new PolicyDocument(
            [
                new PolicyStatement
                {
                    Sid = "CloudWatchAlarmsPublish",
                    Actions = ["sns:Publish"],
                    Principal = PolicyStatement.ServicePrincipal(CloudWatch),
                    Resources = [Topic.Arn],
                    Conditions = PolicyStatement.Condition(("StringEquals", "aws:SourceAccount", account), ("ArnLike", "aws:SourceArn", alarms)),
                },
                new PolicyStatement
                {
                    // The RDS user guide's example ("Granting permissions to publish notifications to an Amazon SNS topic").
                    Sid = "RdsEventsPublish",
                    Actions = ["sns:Publish"],
                    Principal = PolicyStatement.ServicePrincipal(RdsEvents),
                    Resources = [Topic.Arn],
                    Conditions = PolicyStatement.Condition(("StringEquals", "aws:SourceAccount", account),
                        ("ArnLike", "aws:SourceArn", PolicyStatement.Literal($"arn:{aws.Partition}:rds:{Region}:{aws.AccountId}:*"))),
                },
                .. budgets
                    ? [new PolicyStatement
                    {
                        Sid = "BudgetsPublish",
                        Actions = ["sns:Publish"],
                        Principal = PolicyStatement.ServicePrincipal(Budgets),
                        Resources = [Topic.Arn],
                        Conditions = budgetConditions,
                    }]
                    : Array.Empty<PolicyStatement>(),
                .. backupRule is { } rule
                    ? [new PolicyStatement
                    {
                        // Only the stack's rule of failed AWS Backup jobs: EventBridge passes the rule's ARN as
                        // aws:SourceArn when it publishes (EventBridge user guide, "Amazon SNS permissions").
                        Sid = "BackupEventsPublish",
                        Actions = ["sns:Publish"],
                        Principal = PolicyStatement.ServicePrincipal(EventBridge),
                        Resources = [Topic.Arn],
                        Conditions = PolicyStatement.Condition(("StringEquals", "aws:SourceAccount", account), ("ArnEquals", "aws:SourceArn", rule)),
                    }]
                    : Array.Empty<PolicyStatement>(),
            ]).ToJson(),
        });

        var i = 0;
        foreach (var s in settings.Monitoring.Subscriptions)
        {
            // An https endpoint is a secret stack setting: the template names the config key, Pulumi supplies the value.
            Input<string> endpoint = s.SecretKey is { } key ? scope.Template.SecretConfig(key) : s.Endpoint!;
            scope.Add($"{role}-subscription-{i++}", new TopicSubscriptionArgs
            {
                Topic = Topic.Arn,
                Protocol = s.Protocol,
                Endpoint = endpoint,
                Region = Input<string>.Optional(region),
            });
        }
    }

    /// <summary>
    /// A service that publishes to the topic may use its key for data keys, with no condition (for the services whose
    /// KMS request carries no documented source key): only data-key use, by this service principal, on this key (KMS.5 passes).
    /// </summary>
    private static PolicyStatement DataKeysFor(string sid, string service) => new()
    {
        Sid = sid,
        Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
        Principal = PolicyStatement.ServicePrincipal(service),
        Resources = [PolicyStatement.Literal("*")],
    };

    public string Region { get; }

    public CustomerKey Key { get; }

    public Topic Topic { get; }

    public TopicPolicy Policy { get; }

    /// <summary>What alarms notify: the topic.</summary>
    public Output<string> Arn => Topic.Arn;
}
