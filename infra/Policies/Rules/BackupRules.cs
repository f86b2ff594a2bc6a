using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>
/// AWS Backup and data-resilience controls. A stack is DR-enabled when its template has an <c>aws:backup:Plan</c>; the
/// resources that keep data are its RDS instances and the KMS-encrypted versioned buckets of its services (tagged
/// <c>DataClassification</c>: the secure stores), except buckets that are themselves replicas (the destination of a
/// replication configuration). Log buckets and the account's state bucket belong to no service.
/// </summary>
public static class BackupRules
{
    private const string Vault = "aws:backup:Vault";

    private static bool DrEnabled(PolicyContext c) => c.OfType("aws:backup:Plan").Count > 0;

    /// <summary>The ARNs (<c>${resource.arn}</c>) the backup selections name.</summary>
    private static HashSet<string> Selected(PolicyContext c) =>
        c.OfType("aws:backup:Selection").SelectMany(s => V.References(s["resources"])).Where(r => r.Path == "arn").Select(r => r.Resource).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Replicas(PolicyContext c) =>
        c.OfType("aws:s3:BucketReplicationConfig").SelectMany(r => V.Items(r["rules"]).OfType<MapValue>())
            .Select(rule => V.RefName(V.At(rule, "destination.bucket"))).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static bool Versioned(PolicyContext c, Node bucket) =>
        c.Referencing("aws:s3:BucketVersioning", "bucket", bucket).Any(v => V.Str(v["versioningConfiguration.status"]) == "Enabled");

    private static bool KeepsData(PolicyContext c, Node bucket) =>
        Versioned(c, bucket)
        && c.Referencing("aws:s3:BucketServerSideEncryptionConfiguration", "bucket", bucket)
            .Any(e => V.Items(e["rules"]).OfType<MapValue>().Any(r => V.Str(V.At(r, "applyServerSideEncryptionByDefault.sseAlgorithm")) is "aws:kms" or "aws:kms:dsse"));

    /// <summary>The buckets that keep data and are not replicas.</summary>
    private static IEnumerable<Node> DataBuckets(PolicyContext c)
    {
        var replicas = Replicas(c);
        return c.OfType("aws:s3:Bucket").Where(b => b["tags.DataClassification"] is not null && !replicas.Contains(b.Name) && KeepsData(c, b));
    }

    /// <summary>The region a resource is in: its <c>region</c> input, or the stack's (null).</summary>
    private static string? RegionOf(Node? node) => node is null ? null : V.Str(node["region"]);

    public static IEnumerable<Rule> All =>
    [
        new("Backup.1", Severity.Medium, "Every AWS Backup vault encrypts its recovery points with a customer-managed KMS key (kmsKeyArn).", Rule.Mandatory, c =>
            c.OfType(Vault).Where(v => v["kmsKeyArn"] is null)
                .Select(v => v.Violation("encrypts its recovery points with the AWS managed key, which the account cannot control or audit separately.",
                    "set kmsKeyArn to a key of the vault's region (CustomerKey.Create with its region)"))),

        new("PLATFORM.DR.1", Severity.High, "In a DR-enabled stack, every RDS instance and every KMS-encrypted versioned bucket of a service (not a replica) is named by an aws:backup:Selection.", Rule.WhereDataIsKept, c =>
        {
            if (!DrEnabled(c)) return [];
            var selected = Selected(c);
            return c.OfType("aws:rds:Instance").Concat(DataBuckets(c)).Where(n => !selected.Contains(n.Name))
                .Select(n => n.Violation("keeps data but no backup plan selects it: it has no recovery point, and no copy in the DR region.",
                    "add ${<resource>.arn} to the resources of the stack's aws:backup:Selection (DisasterRecovery protects the database and every secure store)"));
        }),

        new("PLATFORM.DR.2", Severity.High, "Every rule of an aws:backup:Plan copies its recovery points to a vault in another region.", Rule.WhereDataIsKept, c =>
            c.OfType("aws:backup:Plan").Where(p => V.Items(p["rules"]).OfType<MapValue>().Any(rule =>
                    !V.Items(rule["copyActions"]).OfType<MapValue>().Any(copy => RegionOf(c.Find(V.RefName(copy["destinationVaultArn"]) ?? "")) is { } r && r != RegionOf(c.Find(V.RefName(rule["targetVaultName"]) ?? "")))))
                .Select(p => p.Violation("has a rule whose recovery points stay in one region: a regional event or a compromised vault takes every copy.",
                    "add copyActions: [{destinationVaultArn: ${<DR vault>.arn}}] with a vault that sets region (platform:dr.region)"))),

        new("PLATFORM.DR.3", Severity.Medium, "Every AWS Backup vault has an aws:backup:VaultLockConfiguration (governance or compliance mode).", Rule.WhereDataIsKept, c =>
            c.OfType(Vault).Where(v => !c.Referencing("aws:backup:VaultLockConfiguration", "backupVaultName", v).Any())
                .Select(v => v.Violation("has no vault lock: anyone allowed backup:DeleteRecoveryPoint can delete every recovery point before it expires.",
                    "set platform:dr.vaultLock.mode to governance (the default where data is kept) or compliance"))),

        new("PLATFORM.DR.4", Severity.High, "The source and every destination bucket of an aws:s3:BucketReplicationConfig are versioned.", Rule.Mandatory, c =>
            c.OfType("aws:s3:BucketReplicationConfig").Where(r =>
                    new[] { V.RefName(r["bucket"]) }.Concat(V.Items(r["rules"]).OfType<MapValue>().Select(rule => V.RefName(V.At(rule, "destination.bucket"))))
                        .OfType<string>().Select(name => c.Find(name)).OfType<Node>().Any(b => !Versioned(c, b)))
                .Select(r => r.Violation("replicates from or to a bucket without versioning: S3 refuses the configuration (both buckets must be versioned).",
                    "add aws:s3:BucketVersioning {status: Enabled} to both buckets, and let the replication configuration depend on it"))),

        new("S3.7", Severity.Low, "A KMS-encrypted versioned bucket of a service (not a replica) has an aws:s3:BucketReplicationConfig to a bucket in another region.", Rule.Advisory, c =>
            DataBuckets(c).Where(b => !c.Referencing("aws:s3:BucketReplicationConfig", "bucket", b).Any(r =>
                    V.Items(r["rules"]).OfType<MapValue>().Any(rule => RegionOf(c.Find(V.RefName(V.At(rule, "destination.bucket")) ?? "")) is { } region && region != RegionOf(b))))
                .Select(b => b.Violation("has no copy outside its region.", "set platform:dr (the secure stores are then replicated to platform:dr.region)"))),
    ];
}
