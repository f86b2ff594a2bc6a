using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// The one way components make a CloudWatch log group: encrypted with the stack's log key and kept for the stage's
/// retention. The key is a customer-managed KMS key (<c>logs-key</c>) whose policy lets CloudWatch Logs of the stack's
/// region use it only for log groups of the stack's account (CloudWatch Logs User Guide, "Encrypt log data in
/// CloudWatch Logs using AWS Key Management Service"). Writers (ECS, RDS, VPC Flow Logs, Lambda) need no KMS
/// permission: CloudWatch Logs encrypts; readers need <c>kms:Decrypt</c> on the key through their IAM policies.
/// </summary>
public sealed class LogGroups
{
    private readonly StageProfile _profile;

    private LogGroups(Key key, StageProfile profile)
    {
        Key = key;
        _profile = profile;
    }

    /// <summary>The stack's log key.</summary>
    public Key Key { get; }

    public static LogGroups Create(StackContext stack, StackSettings settings)
    {
        var scope = new ComponentScope(stack, ComponentNames.Logs);
        var aws = settings.Aws;
        var key = CustomerKey.Create(scope, "key", aws, settings.Profile.Protect,
            $"Encrypts the CloudWatch log groups of {stack.Project}/{stack.Stack}.", [CustomerKey.AccountPolicy(aws), LogsService(aws)]);
        return new LogGroups(key.Key, settings.Profile);
    }

    /// <summary>
    /// CloudWatch Logs of this region may use the key for this account's log groups: the encryption context of every
    /// use names the log group (<c>kms:EncryptionContext:aws:logs:arn</c>). Creating or associating a group with a key
    /// the service may not use fails, so this is part of the key itself, never a later change.
    /// </summary>
    public static PolicyStatement LogsService(AwsSettings aws) => new()
    {
        Sid = "CloudWatchLogsOfThisAccount",
        Principal = PolicyStatement.ServicePrincipal($"logs.{aws.Region}.amazonaws.com"),
        Actions = ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
        Resources = [PolicyStatement.Literal("*")],
        Conditions = PolicyStatement.Condition(
            ("ArnLike", "kms:EncryptionContext:aws:logs:arn", PolicyStatement.Literal($"arn:{aws.Partition}:logs:{aws.Region}:{aws.AccountId}:log-group:*"))),
    };

    /// <summary>A log group named <paramref name="name"/>, encrypted with the log key, kept for the stage's retention.</summary>
    /// <param name="stateful">Protected (and kept on destroy) where the stage protects its data: logs that are evidence.</param>
    public LogGroup Add(ComponentScope scope, string role, string name, bool stateful = false) => scope.Add(role, new LogGroupArgs
    {
        Name = name,
        RetentionInDays = _profile.LogRetentionDays,
        KmsKeyId = Key.Arn,
    }, stateful ? ResourceOptions.Stateful(_profile.Protect) : null);
}
