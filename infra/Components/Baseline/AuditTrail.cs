using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudTrail;
using Platform.Infra.Aws.S3;
using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Baseline;

/// <summary>
/// The account's audit trail and the bucket it (and AWS Config) delivers to.
/// <para>
/// The trail records management events of every Region (CloudTrail.1) with log file validation (CloudTrail.4),
/// encrypted with a customer-managed key (CloudTrail.2). The key policy and the bucket policy admit
/// <c>cloudtrail.amazonaws.com</c> only for this trail: <c>aws:SourceArn</c> is the trail's ARN (AWS CloudTrail user
/// guide, "Amazon S3 bucket policy for CloudTrail" and "Configure AWS KMS key policies for CloudTrail"). That ARN is
/// written out, not referenced, because the trail itself waits for the bucket policy: CloudTrail checks the policy when
/// the trail is created and refuses the trail without it (InsufficientS3BucketPolicyException).
/// </para>
/// <para>
/// The bucket is private, versioned, TLS-only, SSE-KMS with the same key, BucketOwnerEnforced; logs move to S3 Glacier
/// Flexible Retrieval and expire as the settings say, and may be under S3 Object Lock (a bucket can only be created
/// with Object Lock on, so turning it on later replaces the bucket: decide before the first deploy).
/// </para>
/// </summary>
public sealed class AuditTrail
{
    /// <summary>Where AWS Config delivers in the audit bucket (its objects land under <c>config/AWSLogs/&lt;account&gt;/Config/</c>).</summary>
    public const string ConfigPrefix = "config";

    public const string CloudTrailService = "cloudtrail.amazonaws.com";
    public const string ConfigService = "config.amazonaws.com";

    private AuditTrail(CustomerKey key, PrivateBucket bucket, Trail? trail, string trailArn)
    {
        Key = key;
        Bucket = bucket;
        Trail = trail;
        TrailArn = trailArn;
    }

    public CustomerKey Key { get; }

    public PrivateBucket Bucket { get; }

    /// <summary>The trail; null when an organization trail records the account.</summary>
    public Trail? Trail { get; }

    /// <summary>The ARN the trail has (and the policies name), written out from its name, Region and account.</summary>
    public string TrailArn { get; }

    public static AuditTrail Create(ComponentScope scope, StackSettings settings, AccessLogTarget? accessLogs)
    {
        var aws = settings.Aws;
        var baseline = settings.Baseline;
        var audit = baseline.Audit;
        var protect = settings.Profile.Protect;
        var trailName = scope.PhysicalName("trail", 128);
        // A multi-Region trail's ARN carries its home Region: the one it is created in.
        var trailArn = $"arn:{aws.Partition}:cloudtrail:{aws.Region}:{aws.AccountId}:trail/{trailName}";
        var thisTrail = PolicyStatement.Literal(trailArn);
        var account = PolicyStatement.Literal(aws.AccountId);

        var keyPolicy = new List<PolicyStatement> { CustomerKey.AccountPolicy(aws) };
        if (baseline.CloudTrail)
        {
            keyPolicy.Add(new PolicyStatement
            {
                Sid = "CloudTrailEncryptsThisTrailsLogs",
                Actions = ["kms:GenerateDataKey*"],
                Principal = PolicyStatement.ServicePrincipal(CloudTrailService),
                Resources = [PolicyStatement.Literal("*")],
                Conditions = PolicyStatement.Condition(
                    ("StringEquals", "aws:SourceArn", thisTrail),
                    ("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", PolicyStatement.Literal($"arn:{aws.Partition}:cloudtrail:*:{aws.AccountId}:trail/*"))),
            });
            keyPolicy.Add(new PolicyStatement
            {
                Sid = "CloudTrailDescribesTheKey",
                Actions = ["kms:DescribeKey"],
                Principal = PolicyStatement.ServicePrincipal(CloudTrailService),
                Resources = [PolicyStatement.Literal("*")],
                Conditions = PolicyStatement.Condition(("StringEquals", "aws:SourceArn", thisTrail)),
            });
        }
        if (baseline.Config)
            // AWS Config writes SSE-KMS objects with the delivery channel's key (AWS Config developer guide, "Permissions
            // for the KMS Key"): only for this account.
            keyPolicy.Add(new PolicyStatement
            {
                Sid = "ConfigEncryptsThisAccountsHistory",
                Actions = ["kms:Decrypt", "kms:GenerateDataKey"],
                Principal = PolicyStatement.ServicePrincipal(ConfigService),
                Resources = [PolicyStatement.Literal("*")],
                Conditions = PolicyStatement.Condition(("StringEquals", "aws:SourceAccount", account)),
            });
        var key = CustomerKey.Create(scope, "audit-key", aws, protect,
            $"Encrypts the audit logs (CloudTrail, AWS Config) of account {aws.AccountId}, carried by {settings.Project}/{settings.Stack}.", keyPolicy, keep: true);

        var bucket = new PrivateBucket(scope, "audit", new PrivateBucketArgs(
            $"{settings.Project}-{settings.Stack}-audit-{aws.AccountId}",
            new BucketEncryption.CustomerKey(key.Key),
            Versioned: true,
            LifecycleRules:
            [
                new BucketLifecycleConfigurationRule
                {
                    Id = "archive-then-expire",
                    Status = "Enabled",
                    Filter = new BucketLifecycleConfigurationRuleFilter(),
                    Transitions = [new BucketLifecycleConfigurationRuleTransition { Days = audit.TransitionAfterDays, StorageClass = "GLACIER" }],
                    Expiration = new BucketLifecycleConfigurationRuleExpiration { Days = audit.ExpireAfterDays },
                    NoncurrentVersionExpiration = new BucketLifecycleConfigurationRuleNoncurrentVersionExpiration { NoncurrentDays = 30 },
                },
                PrivateBucket.AbortIncompleteUploads(7),
            ],
            accessLogs,
            // Audit logs are never disposable: destroying the stack leaves the bucket and its key (so the logs stay
            // readable) in every stage; delete them by hand once their retention no longer matters.
            ForceDestroy: false,
            ResourceOptions.Kept(protect))
        {
            ObjectLock = audit.ObjectLock,
        });
        if (audit.ObjectLock)
            scope.Add("audit-object-lock", new BucketObjectLockConfigurationArgs
            {
                Bucket = bucket.Bucket.Id,
                Rule = new BucketObjectLockConfigurationRule
                {
                    DefaultRetention = new BucketObjectLockConfigurationRuleDefaultRetention { Mode = audit.ObjectLockMode, Days = audit.ObjectLockDays },
                },
            });

        var statements = new List<PolicyStatement>();
        if (baseline.CloudTrail)
        {
            statements.Add(new PolicyStatement
            {
                Sid = "CloudTrailChecksTheBucketAcl",
                Actions = ["s3:GetBucketAcl"],
                Principal = PolicyStatement.ServicePrincipal(CloudTrailService),
                Resources = [bucket.Arn],
                Conditions = PolicyStatement.Condition(("StringEquals", "aws:SourceArn", thisTrail)),
            });
            statements.Add(Delivers("CloudTrailWritesThisTrailsLogs", CloudTrailService, Output.Format($"{bucket.Arn}/AWSLogs/{aws.AccountId}/*"), ("aws:SourceArn", thisTrail)));
        }
        if (baseline.Config)
        {
            // AWS Config developer guide, "Permissions for the Amazon S3 Bucket for the AWS Config delivery channel".
            statements.Add(new PolicyStatement
            {
                Sid = "ConfigChecksTheBucket",
                Actions = ["s3:GetBucketAcl", "s3:ListBucket"],
                Principal = PolicyStatement.ServicePrincipal(ConfigService),
                Resources = [bucket.Arn],
                Conditions = PolicyStatement.Condition(("StringEquals", "aws:SourceAccount", account)),
            });
            statements.Add(Delivers("ConfigWritesThisAccountsHistory", ConfigService, Output.Format($"{bucket.Arn}/{ConfigPrefix}/AWSLogs/{aws.AccountId}/Config/*"), ("aws:SourceAccount", account)));
        }
        var policy = bucket.ApplyPolicy([.. statements]);

        Trail? trail = null;
        if (baseline.CloudTrail)
            trail = scope.Add("trail", new TrailArgs
            {
                Name = trailName,
                S3BucketName = bucket.Bucket.Id,
                KmsKeyId = key.Key.Arn,
                IsMultiRegionTrail = true,
                IncludeGlobalServiceEvents = true,
                EnableLogFileValidation = true,
                EnableLogging = true,
                EventSelectors =
                [
                    new TrailEventSelector
                    {
                        ReadWriteType = "All",
                        IncludeManagementEvents = true,
                        // S3 object-level events of every bucket cost per event (AWS CloudTrail pricing): opt-in.
                        DataResources = audit.S3DataEvents
                            ? [new TrailEventSelectorDataResource { Type = "AWS::S3::Object", Values = [$"arn:{aws.Partition}:s3"] }]
                            : null,
                    },
                ],
            }, new ResourceOptions { DependsOn = [policy] });
        return new AuditTrail(key, bucket, trail, trailArn);
    }

    /// <summary>A service delivering log objects the bucket owner owns (the ACL header both services send), for one source only.</summary>
    private static PolicyStatement Delivers(string sid, string service, Output<string> objects, (string Key, Output<string> Value) source) => new()
    {
        Sid = sid,
        Actions = ["s3:PutObject"],
        Principal = PolicyStatement.ServicePrincipal(service),
        Resources = [objects],
        Conditions = PolicyStatement.Condition(
            ("StringEquals", "s3:x-amz-acl", PolicyStatement.Literal("bucket-owner-full-control")),
            ("StringEquals", source.Key, source.Value)),
    };
}
