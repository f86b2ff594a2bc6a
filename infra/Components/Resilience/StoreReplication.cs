using Platform.Infra.Aws;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.S3;
using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Resilience;

/// <summary>
/// Live replication of a secure store to a replica bucket in the DR region (S3 user guide, "Replicating objects within
/// and across Regions"): the replica is a <see cref="PrivateBucket"/> like the source (public access blocked, owner
/// enforced, TLS-only policy, versioned, SSE-KMS with a key of the DR region), and the source's replication rule
/// replicates every object encrypted with the source key, re-encrypted with the DR key (<c>replicaKmsKeyId</c>).
/// Delete markers are not replicated, so deleting an object in the source (a mistake or an attacker) leaves the replica
/// readable. Replication Time Control (99.99 % of objects within 15 minutes, with replication metrics) is on where
/// <c>platform:dr.replicationTimeControl</c> asks for it; otherwise S3 replicates most objects within minutes with no SLA.
/// <para>
/// Replication only copies objects written after the rule exists: objects uploaded before are in the AWS Backup recovery
/// points (and its DR copies), or are copied once with S3 Batch Replication (docs/dr.md).
/// </para>
/// </summary>
public sealed class StoreReplication
{
    /// <summary>What the replication role may do on the source bucket (S3 user guide, "Setting up permissions for live replication").</summary>
    public static readonly IReadOnlyList<string> SourceBucketActions = ["s3:GetReplicationConfiguration", "s3:ListBucket"];

    public static readonly IReadOnlyList<string> SourceObjectActions = ["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"];

    /// <summary>What it may do on the replica: write replicas, delete markers (never sent here) and tags.</summary>
    public static readonly IReadOnlyList<string> ReplicaObjectActions = ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"];

    /// <summary>S3 RTC's threshold (the only value S3 accepts) and the metrics' event threshold.</summary>
    public const int ReplicationTimeMinutes = 15;

    private StoreReplication(PrivateBucket replica, Role role, BucketReplicationConfig configuration)
    {
        Replica = replica;
        Role = role;
        Configuration = configuration;
    }

    public PrivateBucket Replica { get; }

    public Role Role { get; }

    public BucketReplicationConfig Configuration { get; }

    public static StoreReplication Create(ComponentScope scope, StackSettings settings, DrSettings dr, SecureStore store, CustomerKey drKey)
    {
        var aws = settings.Aws;
        var replicaName = DrSettings.ReplicaBucketName(scope.Stack.Project, scope.Stack.Stack, store.Service, store.Name, aws.AccountId);
        var replica = new PrivateBucket(scope, $"{store.Name}-dr", new PrivateBucketArgs(
            replicaName,
            new BucketEncryption.CustomerKey(drKey.Key),
            Versioned: true,
            LifecycleRules:
            [
                // The replica keeps what the DR copies keep: replaced or deleted versions for the retention, then gone.
                new BucketLifecycleConfigurationRule
                {
                    Id = $"expire-noncurrent-after-{dr.RetentionDays}-days",
                    Status = "Enabled",
                    Filter = new BucketLifecycleConfigurationRuleFilter(),
                    NoncurrentVersionExpiration = new BucketLifecycleConfigurationRuleNoncurrentVersionExpiration { NoncurrentDays = dr.RetentionDays },
                },
                PrivateBucket.AbortIncompleteUploads(7),
            ],
            // S3 server access logs must go to a bucket of the same region: the stack's log bucket is in the primary one.
            AccessLogs: null,
            settings.Profile.DisposableData,
            ResourceOptions.Stateful(settings.Profile.Protect),
            Region: dr.Region));
        replica.ApplyPolicy();

        var role = scope.Add($"{store.Name}-replication-role", new RoleArgs
        {
            Name = scope.PhysicalName($"{store.Name}-replication", ComponentScope.RoleNameLength),
            Description = $"Lets S3 replicate {store.Service}/{store.Name} to {replicaName} in {dr.Region}.",
            AssumeRolePolicy = PolicyDocument.AssumableBy("s3.amazonaws.com", aws.AccountId, $"arn:{aws.Partition}:s3:::{store.Bucket.Args.BucketName}").ToJson(),
        });
        var policy = scope.Add($"{store.Name}-replication-policy", new RolePolicyArgs
        {
            Role = role.Id,
            Policy = new PolicyDocument(RolePolicy(store, replica, aws.Region, drKey, dr.Region)).ToJson(),
        });

        var destination = new BucketReplicationConfigRuleDestination
        {
            Bucket = replica.Arn,
            StorageClass = "STANDARD",
            EncryptionConfiguration = new BucketReplicationConfigRuleDestinationEncryptionConfiguration { ReplicaKmsKeyId = drKey.Key.Arn },
            ReplicationTime = Input<BucketReplicationConfigRuleDestinationReplicationTime>.Optional(dr.ReplicationTimeControl
                ? new BucketReplicationConfigRuleDestinationReplicationTime
                {
                    Status = "Enabled",
                    Time = new BucketReplicationConfigRuleDestinationReplicationTimeTime { Minutes = ReplicationTimeMinutes },
                }
                : null),
            // RTC needs replication metrics (S3 user guide, "Meeting compliance requirements with S3 Replication Time Control").
            Metrics = Input<BucketReplicationConfigRuleDestinationMetrics>.Optional(dr.ReplicationTimeControl
                ? new BucketReplicationConfigRuleDestinationMetrics
                {
                    Status = "Enabled",
                    EventThreshold = new BucketReplicationConfigRuleDestinationMetricsEventThreshold { Minutes = ReplicationTimeMinutes },
                }
                : null),
        };
        // S3 refuses a replication configuration on a bucket whose versioning is not enabled yet, and checks the role
        // when the configuration is written: both, and the replica's versioning, come first.
        var configuration = scope.Add($"{store.Name}-replication", new BucketReplicationConfigArgs
        {
            Bucket = store.Bucket.Bucket.Id,
            Role = role.Arn,
            Rules =
            [
                new BucketReplicationConfigRule
                {
                    Id = $"to-{dr.Region}",
                    Status = "Enabled",
                    Priority = 0,
                    Filter = new BucketReplicationConfigRuleFilter(),
                    DeleteMarkerReplication = new BucketReplicationConfigRuleDeleteMarkerReplication { Status = "Disabled" },
                    SourceSelectionCriteria = new BucketReplicationConfigRuleSourceSelectionCriteria
                    {
                        SseKmsEncryptedObjects = new BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjects { Status = "Enabled" },
                    },
                    Destination = destination,
                },
            ],
        }, new ResourceOptions { DependsOn = [store.Bucket.Versioning!, replica.Versioning!, policy] });
        return new StoreReplication(replica, role, configuration);
    }

    /// <summary>
    /// The replication role's policy, nothing more: read the source's replication configuration, list it and read object
    /// versions for replication; decrypt with the source key only through S3 in the source region for objects of the
    /// source bucket; write replicas to the replica bucket; encrypt with the DR key only through S3 in the DR region for
    /// objects of the replica bucket (S3 user guide, "Replicating encrypted objects": the encryption context of an object
    /// is its bucket's ARN when an S3 Bucket Key is used, the object's ARN otherwise, so both are allowed).
    /// </summary>
    public static IReadOnlyList<PolicyStatement> RolePolicy(SecureStore store, PrivateBucket replica, string region, CustomerKey drKey, string drRegion) =>
    [
        new() { Sid = "ReadSourceConfiguration", Actions = SourceBucketActions, Resources = [store.BucketArn] },
        new() { Sid = "ReadSourceVersions", Actions = SourceObjectActions, Resources = [store.Bucket.Objects] },
        new()
        {
            Sid = "DecryptSource",
            Actions = ["kms:Decrypt"],
            Resources = [store.Key.Arn],
            Conditions = PolicyStatement.Condition(
                PolicyStatement.ViaService("s3", region),
                ("StringLike", "kms:EncryptionContext:aws:s3:arn", store.BucketArn),
                ("StringLike", "kms:EncryptionContext:aws:s3:arn", store.Bucket.Objects)),
        },
        new() { Sid = "WriteReplicas", Actions = ReplicaObjectActions, Resources = [replica.Objects] },
        new()
        {
            Sid = "EncryptReplicas",
            Actions = ["kms:Encrypt"],
            Resources = [drKey.Key.Arn],
            Conditions = PolicyStatement.Condition(
                PolicyStatement.ViaService("s3", drRegion),
                ("StringLike", "kms:EncryptionContext:aws:s3:arn", replica.Arn),
                ("StringLike", "kms:EncryptionContext:aws:s3:arn", replica.Objects)),
        },
    ];
}
