using Platform.Infra.Aws;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Aws.S3;
using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Bootstrap;

/// <summary>
/// An account's Pulumi state bucket (the DIY S3 backend): versioned, encrypted with its own customer-managed key,
/// TLS only, public access blocked, access-logged to its own log bucket, protected and kept on destroy. Noncurrent
/// versions (earlier checkpoints) expire after a year.
/// <para>
/// The grants follow the backend's object layout (Pulumi docs, "State and backends"; <c>pulumi login s3://…</c> keeps
/// everything under <c>.pulumi/</c>): a stack <c>S</c> of project <c>P</c> is <c>.pulumi/stacks/P/S.json</c> (and its
/// <c>S.pulumi-tags</c>, where the promotion ledger lives), <c>.pulumi/history/P/S/</c>, <c>.pulumi/backups/P/S/</c>
/// and its locks under <c>.pulumi/locks/organization/P/S/</c>.
/// </para>
/// </summary>
public sealed class StateBackend
{
    /// <summary>How long earlier checkpoints of a stack stay recoverable.</summary>
    public const int NoncurrentDays = 365;

    private readonly string _region;

    public StateBackend(StackContext stack, AwsSettings aws, BootstrapSettings bootstrap)
    {
        var scope = new ComponentScope(stack, ComponentNames.State);
        _region = aws.Region;
        BucketName = bootstrap.StateBucketName(aws.AccountId, aws.Region);
        Key = CustomerKey.Create(scope, "key", aws, protect: true, $"Encrypts the Pulumi state in {BucketName}.").Key;
        Logs = new LogBucket(scope.Child("logs"), new LogBucketArgs($"{bootstrap.Project}-state-logs-{aws.AccountId}-{aws.Region}", StageProfile.Safest.LogRetentionDays,
            Protect: true, ForceDestroy: false, aws));
        Bucket = new PrivateBucket(scope, "store", new PrivateBucketArgs(
            BucketName,
            new BucketEncryption.CustomerKey(Key),
            Versioned: true,
            LifecycleRules:
            [
                new BucketLifecycleConfigurationRule
                {
                    Id = "expire-old-checkpoints",
                    Status = "Enabled",
                    Filter = new BucketLifecycleConfigurationRuleFilter(),
                    NoncurrentVersionExpiration = new BucketLifecycleConfigurationRuleNoncurrentVersionExpiration { NoncurrentDays = NoncurrentDays },
                },
                PrivateBucket.AbortIncompleteUploads(7),
            ],
            Logs.For(BucketName),
            ForceDestroy: false,
            ResourceOptions.Stateful(protect: true)));
        Bucket.ApplyPolicy();
        stack.Template.Export(StackOutputs.StateBackendUrl, Output.Format($"s3://{Bucket.Bucket.BucketName}?region={aws.Region}"));
    }

    public string BucketName { get; }

    public Key Key { get; }

    public LogBucket Logs { get; }

    public PrivateBucket Bucket { get; }

    /// <summary>List the backend's keys (<c>pulumi stack ls</c>, finding a stack's history).</summary>
    public PolicyStatement List() => new()
    {
        Sid = "ListState",
        Actions = ["s3:ListBucket"],
        Resources = [Bucket.Arn],
    };

    /// <summary>Read every stack of the backend (its checkpoint, tags and history) and decrypt it.</summary>
    public IReadOnlyList<PolicyStatement> Read() =>
    [
        new()
        {
            Sid = "ReadState",
            Actions = ["s3:GetObject"],
            Resources = [Output.Format($"{Bucket.Arn}/.pulumi/*")],
        },
        UseKey("DecryptState", "kms:Decrypt"),
    ];

    /// <summary>Write the objects of these stacks (checkpoints, tags, history, backups, locks) and nothing else.</summary>
    public IReadOnlyList<PolicyStatement> Write(string project, IReadOnlyList<string> stacks) =>
    [
        new()
        {
            Sid = "WriteOwnStacks",
            Actions = ["s3:DeleteObject", "s3:PutObject"],
            Resources = [.. stacks.SelectMany(s => StackObjects(project, s))],
        },
        UseKey("EncryptState", "kms:GenerateDataKey"),
    ];

    /// <summary>Take and release the lock of any stack of the project (a preview or a refresh holds one while it runs).</summary>
    public IReadOnlyList<PolicyStatement> Lock(string project) =>
    [
        new()
        {
            Sid = "LockStacks",
            Actions = ["s3:DeleteObject", "s3:PutObject"],
            Resources = [Output.Format($"{Bucket.Arn}/.pulumi/locks/organization/{project}/*")],
        },
        UseKey("EncryptLocks", "kms:GenerateDataKey"),
    ];

    private IEnumerable<Output<string>> StackObjects(string project, string stack) =>
    [
        Output.Format($"{Bucket.Arn}/.pulumi/stacks/{project}/{stack}.*"),
        Output.Format($"{Bucket.Arn}/.pulumi/history/{project}/{stack}/*"),
        Output.Format($"{Bucket.Arn}/.pulumi/backups/{project}/{stack}/*"),
        Output.Format($"{Bucket.Arn}/.pulumi/locks/organization/{project}/{stack}/*"),
    ];

    /// <summary>The state key, only as S3 uses it for this bucket's objects.</summary>
    private PolicyStatement UseKey(string sid, string action) => new()
    {
        Sid = sid,
        Actions = [action],
        Resources = [Key.Arn],
        Conditions = PolicyStatement.Condition(PolicyStatement.ViaService("s3", _region)),
    };
}
