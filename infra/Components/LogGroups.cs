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
    private readonly ComponentScope _scope;
    private readonly StackSettings _settings;
    private readonly Dictionary<string, Key> _elsewhere = new(StringComparer.Ordinal);

    private LogGroups(ComponentScope scope, StackSettings settings, Key key)
    {
        _scope = scope;
        _settings = settings;
        Key = key;
    }

    /// <summary>The stack's log key, in the stack's region.</summary>
    public Key Key { get; }

    public static LogGroups Create(StackContext stack, StackSettings settings)
    {
        var scope = new ComponentScope(stack, ComponentNames.Logs);
        return new LogGroups(scope, settings, NewKey(scope, "key", settings, settings.Aws.Region, null));
    }

    private static Key NewKey(ComponentScope scope, string role, StackSettings settings, string region, string? elsewhere) =>
        CustomerKey.Create(scope, role, settings.Aws, settings.Profile.Protect,
            $"Encrypts the CloudWatch log groups of {scope.Stack.Project}/{scope.Stack.Stack}{(elsewhere is null ? "" : $" in {elsewhere}")}.",
            [CustomerKey.AccountPolicy(settings.Aws), LogsService(settings.Aws, region)], elsewhere).Key;

    /// <summary>
    /// CloudWatch Logs of <paramref name="region"/> may use the key for this account's log groups there: the encryption
    /// context of every use names the log group (<c>kms:EncryptionContext:aws:logs:arn</c>). Creating or associating a
    /// group with a key the service may not use fails, so this is part of the key itself, never a later change.
    /// </summary>
    public static PolicyStatement LogsService(AwsSettings aws, string region) => new()
    {
        Sid = "CloudWatchLogsOfThisAccount",
        Principal = PolicyStatement.ServicePrincipal($"logs.{region}.amazonaws.com"),
        Actions = ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
        Resources = [PolicyStatement.Literal("*")],
        Conditions = PolicyStatement.Condition(
            ("ArnLike", "kms:EncryptionContext:aws:logs:arn", PolicyStatement.Literal($"arn:{aws.Partition}:logs:{region}:{aws.AccountId}:log-group:*"))),
    };

    /// <summary>A log group named <paramref name="name"/>, encrypted with the log key, kept for the stage's retention.</summary>
    /// <param name="stateful">Protected (and kept on destroy) where the stage protects its data: logs that are evidence.</param>
    /// <param name="region">Another region than the stack's (a log destination must be in its source's region); the
    /// group is then encrypted with a log key of that region, <c>logs-key-&lt;region&gt;</c>, made once.</param>
    public LogGroup Add(ComponentScope scope, string role, string name, bool stateful = false, string? region = null)
    {
        var elsewhere = region is not null && region != _settings.Aws.Region ? region : null;
        var profile = _settings.Profile;
        return scope.Add(role, new LogGroupArgs
        {
            Name = name,
            RetentionInDays = profile.LogRetentionDays,
            KmsKeyId = KeyIn(elsewhere).Arn,
            Region = Input<string>.Optional(elsewhere),
        }, stateful ? ResourceOptions.Stateful(profile.Protect) : null);
    }

    private Key KeyIn(string? region)
    {
        if (region is null) return Key;
        if (!_elsewhere.TryGetValue(region, out var key))
            _elsewhere[region] = key = NewKey(_scope, $"key-{region}", _settings, region, region);
        return key;
    }
}
