using Platform.Infra.Aws;
using Platform.Infra.Aws.Kms;
using Platform.Infra.Aws.S3;
using Platform.Infra.Model;

namespace Platform.Infra.Components.Storage;

/// <summary>How a bucket encrypts objects at rest.</summary>
public abstract record BucketEncryption
{
    /// <summary>SSE-S3 (AES256): what log writers (S3 server access logs, CloudFront) and CloudFront OAC reads need.</summary>
    public sealed record S3Managed : BucketEncryption;

    /// <summary>SSE-KMS with a customer-managed key and an S3 bucket key (fewer KMS calls).</summary>
    public sealed record CustomerKey(Key Key) : BucketEncryption;
}

/// <summary>Where a bucket's server access logs go: the stack's log bucket, under a prefix.</summary>
/// <param name="BucketName">The target bucket.</param>
/// <param name="Prefix">The key prefix of this bucket's logs.</param>
/// <param name="Ready">The target bucket's policy that admits the S3 logging service: logging is configured after it.</param>
public sealed record AccessLogTarget(Output<string> BucketName, string Prefix, Resource Ready);

/// <summary>Inputs of the <see cref="PrivateBucket"/> building block.</summary>
/// <param name="BucketName">The physical bucket name (validated by the settings).</param>
/// <param name="Encryption">SSE-S3 or SSE-KMS with a customer-managed key.</param>
/// <param name="Versioned">Keep object versions (then <paramref name="LifecycleRules"/> should expire noncurrent versions: S3.10).</param>
/// <param name="LifecycleRules">The lifecycle rules; none means no lifecycle configuration.</param>
/// <param name="AccessLogs">Server access logging (S3.9); null only for the log bucket itself.</param>
/// <param name="ObjectOwnership">BucketOwnerEnforced (ACLs off, S3.12) unless a log writer needs ACLs.</param>
/// <param name="Region">Another region than the stack's (a DR replica): every resource of the bucket carries it.</param>
/// <param name="ForceDestroy">Delete the objects with the bucket: only in stages whose data is disposable.</param>
/// <param name="Options">Resource options of the bucket (protect and retainOnDelete for stateful data).</param>
public sealed record PrivateBucketArgs(
    string BucketName,
    BucketEncryption Encryption,
    bool Versioned,
    IReadOnlyList<BucketLifecycleConfigurationRule> LifecycleRules,
    AccessLogTarget? AccessLogs,
    bool ForceDestroy,
    ResourceOptions Options,
    string ObjectOwnership = PrivateBucket.OwnerEnforced,
    string? Region = null)
{
    /// <summary>Create the bucket with S3 Object Lock on (only possible at creation; the retention is the owner's resource).</summary>
    public bool ObjectLock { get; init; }
}

/// <summary>
/// The one private S3 bucket every store and the log bucket are built from: all four public-access-block flags (S3.8),
/// object ownership (S3.12), default encryption, optional versioning, server access logging (S3.9), lifecycle rules
/// (S3.10/S3.13), and a bucket policy that always starts with the deny-non-TLS statement (S3.5). The owner adds its own
/// statements through <see cref="ApplyPolicy"/>, which must be called exactly once (it may reference resources created
/// after the bucket, like a CloudFront distribution).
/// </summary>
public sealed class PrivateBucket
{
    public const string OwnerEnforced = "BucketOwnerEnforced";

    /// <summary>The lifecycle setting that lets objects smaller than 128 KiB transition to the Glacier classes.</summary>
    public const string SmallObjectsTransition = "varies_by_storage_class";

    private readonly ComponentScope _scope;
    private readonly string _role;
    private BucketPolicy? _policy;
    private BucketNotification? _notification;

    public PrivateBucket(ComponentScope scope, string role, PrivateBucketArgs args)
    {
        _scope = scope;
        _role = role;
        Args = args;
        Bucket = scope.Add($"{role}-bucket", new BucketArgs
        {
            Bucket = args.BucketName,
            ForceDestroy = args.ForceDestroy,
            Region = Input<string>.Optional(args.Region),
            ObjectLockEnabled = args.ObjectLock ? true : null,
        }, args.Options);

        PublicAccessBlock = scope.Add($"{role}-public-access", new BucketPublicAccessBlockArgs
        {
            Bucket = Bucket.Id,
            Region = Input<string>.Optional(args.Region),
            BlockPublicAcls = true,
            BlockPublicPolicy = true,
            IgnorePublicAcls = true,
            RestrictPublicBuckets = true,
        });

        Ownership = scope.Add($"{role}-ownership", new BucketOwnershipControlsArgs
        {
            Bucket = Bucket.Id,
            Region = Input<string>.Optional(args.Region),
            Rule = new BucketOwnershipControlsRule { ObjectOwnership = args.ObjectOwnership },
        });

        scope.Add($"{role}-encryption", new BucketServerSideEncryptionConfigurationArgs
        {
            Bucket = Bucket.Id,
            Region = Input<string>.Optional(args.Region),
            Rules = [args.Encryption switch
            {
                BucketEncryption.CustomerKey k => new BucketServerSideEncryptionConfigurationRule
                {
                    ApplyServerSideEncryptionByDefault = new BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault
                    {
                        SseAlgorithm = "aws:kms",
                        KmsMasterKeyId = k.Key.Arn,
                    },
                    BucketKeyEnabled = true,
                },
                _ => new BucketServerSideEncryptionConfigurationRule
                {
                    ApplyServerSideEncryptionByDefault = new BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault { SseAlgorithm = "AES256" },
                },
            }],
        });

        // Lifecycle rules on a versioned bucket must wait for versioning (noncurrent-version rules need it).
        BucketVersioning? versioning = null;
        if (args.Versioned)
            Versioning = versioning = scope.Add($"{role}-versioning", new BucketVersioningArgs
            {
                Bucket = Bucket.Id,
                Region = Input<string>.Optional(args.Region),
                VersioningConfiguration = new BucketVersioningVersioningConfiguration { Status = "Enabled" },
            });

        if (args.AccessLogs is { } logs)
            scope.Add($"{role}-access-logging", new BucketLoggingArgs
            {
                Bucket = Bucket.Id,
                Region = Input<string>.Optional(args.Region),
                TargetBucket = logs.BucketName,
                TargetPrefix = logs.Prefix,
            }, new ResourceOptions { DependsOn = [logs.Ready] });

        if (args.LifecycleRules.Count > 0)
            scope.Add($"{role}-lifecycle", new BucketLifecycleConfigurationArgs
            {
                Bucket = Bucket.Id,
                Region = Input<string>.Optional(args.Region),
                Rules = args.LifecycleRules.ToArray(),
                // S3's default (all_storage_classes_128K) never transitions objects under 128 KiB, so small objects
                // would stay in their class forever; with varies_by_storage_class they move to Glacier Flexible
                // Retrieval and Deep Archive too (S3 user guide, "Transitioning objects: minimum object size").
                TransitionDefaultMinimumObjectSize = SmallObjectsTransition,
            }, versioning is null ? null : new ResourceOptions { DependsOn = [versioning] });
    }

    public PrivateBucketArgs Args { get; }

    public Bucket Bucket { get; }

    public BucketPublicAccessBlock PublicAccessBlock { get; }

    /// <summary>The versioning configuration of a versioned bucket (replication waits for it); null otherwise.</summary>
    public BucketVersioning? Versioning { get; }

    public BucketOwnershipControls Ownership { get; }

    /// <summary>The bucket policy, once <see cref="ApplyPolicy"/> has run.</summary>
    public BucketPolicy Policy => _policy ?? throw new InvalidOperationException($"{Bucket.LogicalName}: ApplyPolicy was not called.");

    public Output<string> Arn => Bucket.Arn;

    /// <summary>Every object of the bucket: <c>arn/*</c>.</summary>
    public Output<string> Objects => Output.Format($"{Bucket.Arn}/*");

    /// <summary>
    /// The bucket policy: deny any request not made over TLS (S3.5), then <paramref name="statements"/>. It waits for
    /// the public access block, so that a policy is never in place before public access is blocked.
    /// </summary>
    public BucketPolicy ApplyPolicy(params PolicyStatement[] statements)
    {
        if (_policy is not null) throw new InvalidOperationException($"{Bucket.LogicalName}: the bucket policy is already applied.");
        _policy = _scope.Add($"{_role}-policy", new BucketPolicyArgs
        {
            Bucket = Bucket.Id,
            Region = Input<string>.Optional(Args.Region),
            Policy = new PolicyDocument([DenyInsecureTransport(), .. statements]).ToJson(),
        }, new ResourceOptions { DependsOn = [PublicAccessBlock, Ownership] });
        return _policy;
    }

    /// <summary>
    /// The bucket's event notifications to SQS queues: S3 keeps one notification configuration per bucket and each
    /// <c>aws:s3/bucketNotification:BucketNotification</c> replaces it whole, so every destination of the bucket goes
    /// into this one call. S3 checks each destination when the configuration is written (it sends a test message), so the
    /// configuration waits for <paramref name="ready"/>: the queue policies that admit S3 and the keys S3 encrypts with
    /// (S3 user guide, "Granting permissions to publish event notification messages to a destination").
    /// </summary>
    public BucketNotification NotifyQueues(IReadOnlyList<BucketNotificationQueue> queues, IReadOnlyList<Resource> ready)
    {
        if (_notification is not null) throw new InvalidOperationException($"{Bucket.LogicalName}: a bucket has one notification configuration, and it is already made.");
        _notification = _scope.Add($"{_role}-notifications", new BucketNotificationArgs
        {
            Bucket = Bucket.Id,
            Region = Input<string>.Optional(Args.Region),
            Queues = queues.ToArray(),
        }, new ResourceOptions { DependsOn = ready });
        return _notification;
    }

    /// <summary>Deny every S3 action on the bucket and its objects to anyone not using TLS.</summary>
    public PolicyStatement DenyInsecureTransport() => new()
    {
        Sid = "DenyInsecureTransport",
        Effect = "Deny",
        Principal = PolicyStatement.Anyone,
        Actions = ["s3:*"],
        Resources = [Arn, Objects],
        Conditions = PolicyStatement.Condition(("Bool", "aws:SecureTransport", PolicyStatement.Literal("false"))),
    };

    /// <summary>Delete every object <paramref name="days"/> days after its creation (S3 runs the rule from the next midnight UTC).</summary>
    public static BucketLifecycleConfigurationRule ExpireAfter(string id, int days) => new()
    {
        Id = id,
        Status = "Enabled",
        Filter = new BucketLifecycleConfigurationRuleFilter(),
        Expiration = new BucketLifecycleConfigurationRuleExpiration { Days = days },
    };

    /// <summary>Abort multipart uploads left incomplete (S3.10; CKV_AWS_300).</summary>
    public static BucketLifecycleConfigurationRule AbortIncompleteUploads(int days) => new()
    {
        Id = "abort-incomplete-multipart-uploads",
        Status = "Enabled",
        Filter = new BucketLifecycleConfigurationRuleFilter(),
        AbortIncompleteMultipartUpload = new BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = days },
    };
}
