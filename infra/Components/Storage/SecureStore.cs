using Platform.Infra.Aws.Kms;
using Platform.Infra.Aws.S3;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Storage;

/// <summary>
/// Sensitive objects (e.g. images of customer signatures): SSE-KMS with the store's own customer-managed key
/// (rotation on, a key policy that lets the account administer the key but use it only through S3, an alias) and an
/// S3 bucket key; versioning; a policy that denies non-TLS requests and uploads asking for any other encryption;
/// server access logs; current objects to GLACIER (Glacier Flexible Retrieval) after the archival period, noncurrent
/// versions to GLACIER and then deleted, incomplete multipart uploads aborted after 7 days.
/// <para>
/// S3 lifecycle counts days since an object was created (or became noncurrent), not since it was last read, so the rule
/// says what it does: <c>archive-&lt;n&gt;-days-after-upload</c>. For write-once objects such as signature images that is
/// "not read for n days" as soon as nothing reads them after upload. S3 Intelligent-Tiering would follow real access,
/// but it never moves objects under 128 KiB (most signature images), while this rule moves them too
/// (<see cref="PrivateBucket.SmallObjectsTransition"/>).
/// </para>
/// <para>
/// An archived object is not readable until restored: the read grants include <c>s3:RestoreObject</c>, and a service
/// restores a temporary copy (RestoreObject with a number of days and a retrieval tier; minutes with Expedited, hours
/// with Standard or Bulk), then reads it with GetObject as usual (docs/configuration.md, "Reading an archived object").
/// </para>
/// </summary>
public sealed class SecureStore : StoreBase
{
    public SecureStore(ComponentScope scope, StoreArgs<SecureStoreSettings> args)
        : this(scope, args, CreateKey(scope, args))
    {
    }

    private SecureStore(ComponentScope scope, StoreArgs<SecureStoreSettings> args, CustomerKey customerKey)
        : base(args.Service, args.Store.Name, StoreKind.SecureStore, CreateBucket(scope, args, customerKey.Key), customerKey.Key, args.Aws.Region)
    {
        var key = customerKey.Key;
        Key = key;
        Alias = customerKey.Alias;

        Bucket.ApplyPolicy(
            DenyPut("DenyOtherEncryption", PolicyStatement.PresentAndNot("s3:x-amz-server-side-encryption", PolicyStatement.Literal("aws:kms"))),
            DenyPut("DenyOtherKmsKey", PolicyStatement.PresentAndNot("s3:x-amz-server-side-encryption-aws-kms-key-id", key.Arn)),
            DenyPut("DenyCustomerProvidedKeys", PolicyStatement.Condition(("Null", "s3:x-amz-server-side-encryption-customer-algorithm", PolicyStatement.Literal("false")))));
    }

    /// <summary>A statement of the bucket policy that refuses every upload matching <paramref name="conditions"/>.</summary>
    private PolicyStatement DenyPut(string sid, IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Output<string>>>> conditions) => new()
    {
        Sid = sid,
        Effect = "Deny",
        Principal = PolicyStatement.Anyone,
        Actions = ["s3:PutObject"],
        Resources = [Bucket.Objects],
        Conditions = conditions,
    };

    public Key Key { get; }

    public Alias Alias { get; }

    /// <summary>Archived objects are read by restoring a temporary copy first.</summary>
    public static readonly IReadOnlyList<string> ArchivedReadActions = [.. ReadActions, "s3:RestoreObject"];

    protected override IReadOnlyList<string> ObjectReadActions => ArchivedReadActions;

    /// <summary>Administration actions of the key policy: everything but using the key for data.</summary>
    public static readonly IReadOnlyList<string> KeyAdminActions =
    [
        "kms:CancelKeyDeletion", "kms:Create*", "kms:Delete*", "kms:Describe*", "kms:Disable*", "kms:Enable*", "kms:Get*",
        "kms:List*", "kms:Put*", "kms:Revoke*", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource",
        "kms:UntagResource", "kms:Update*",
    ];

    /// <summary>Data actions of the key policy: only through S3, and only with an IAM policy that allows them (the grants).</summary>
    public static readonly IReadOnlyList<string> KeyUseActions = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];

    private static CustomerKey CreateKey(ComponentScope scope, StoreArgs<SecureStoreSettings> args)
    {
        var aws = args.Aws;
        var root = CustomerKey.AccountRoot(aws);
        return CustomerKey.Create(scope, $"{args.Store.Name}-key", aws, args.Protect,
            $"Encrypts the {args.Store.Name} store of {args.Service} ({args.BucketName}).",
            [
                new PolicyStatement
                {
                    Sid = "AccountAdministersKey",
                    Principal = root,
                    Actions = KeyAdminActions,
                    Resources = [PolicyStatement.Literal("*")],
                },
                new PolicyStatement
                {
                    Sid = "AccountUsesKeyThroughS3",
                    Principal = root,
                    Actions = KeyUseActions,
                    Resources = [PolicyStatement.Literal("*")],
                    Conditions = PolicyStatement.Condition(
                        ("StringEquals", "kms:CallerAccount", PolicyStatement.Literal(aws.AccountId)),
                        PolicyStatement.ViaService("s3", aws.Region)),
                },
            ]);
    }

    private static PrivateBucket CreateBucket(ComponentScope scope, StoreArgs<SecureStoreSettings> args, Key key)
    {
        var store = args.Store;
        return new PrivateBucket(scope, store.Name, new PrivateBucketArgs(
            args.BucketName,
            new BucketEncryption.CustomerKey(key),
            Versioned: true,
            LifecycleRules:
            [
                new BucketLifecycleConfigurationRule
                {
                    Id = $"archive-{store.ArchiveAfterDays}-days-after-upload",
                    Status = "Enabled",
                    Filter = new BucketLifecycleConfigurationRuleFilter(),
                    Transitions = [new BucketLifecycleConfigurationRuleTransition { Days = store.ArchiveAfterDays, StorageClass = "GLACIER" }],
                    Expiration = store.ExpireAfterDays is { } days
                        ? new BucketLifecycleConfigurationRuleExpiration { Days = days }
                        : new BucketLifecycleConfigurationRuleExpiration { ExpiredObjectDeleteMarker = true },
                    NoncurrentVersionTransitions = [new BucketLifecycleConfigurationRuleNoncurrentVersionTransition { NoncurrentDays = store.NoncurrentArchiveAfterDays, StorageClass = "GLACIER" }],
                    NoncurrentVersionExpiration = new BucketLifecycleConfigurationRuleNoncurrentVersionExpiration { NoncurrentDays = store.NoncurrentExpireAfterDays },
                },
                PrivateBucket.AbortIncompleteUploads(7),
            ],
            args.Logs.For(args.BucketName),
            args.ForceDestroy,
            ResourceOptions.Stateful(args.Protect)));
    }
}
