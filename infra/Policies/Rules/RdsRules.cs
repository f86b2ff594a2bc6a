namespace Platform.Infra.Policies.Rules;

/// <summary>RDS DB instance controls (the platform emits aws:rds:Instance; Aurora clusters are out of scope).</summary>
public static class RdsRules
{
    private const string Instance = "aws:rds:Instance";

    private static IEnumerable<Node> Instances(PolicyContext c) => c.OfType(Instance);

    /// <summary>
    /// Instances that are not read replicas. A same-Region replica (replicateSourceDb) inherits its source's subnet
    /// group, master user and data: backups, final snapshots and Multi-AZ are the source's (Security Hub does not
    /// evaluate read replicas for RDS.11 either).
    /// </summary>
    private static IEnumerable<Node> Primaries(PolicyContext c) => c.OfType(Instance).Where(i => i["replicateSourceDb"] is null);

    private static bool IsPostgres(Node i) => V.Str(i["engine"])?.Contains("postgres", StringComparison.Ordinal) == true;

    private static bool IsMySql(Node i) => V.Str(i["engine"]) is "mysql" or "mariadb";

    private static readonly int[] MonitoringIntervals = [1, 5, 10, 15, 30, 60];

    /// <summary>
    /// An enabled aws:rds:EventSubscription of <paramref name="sourceType"/> covers the critical event categories
    /// (no eventCategories means all of them), wherever the stack has instances.
    /// </summary>
    private static Rule Subscription(string id, string sourceType, string[] categories) =>
        new(id, Severity.Low, $"An enabled aws:rds:EventSubscription of {sourceType} events covers {string.Join(", ", categories)}.", Rule.Advisory, c =>
            c.OfType("aws:rds:EventSubscription").Any(s => V.Str(s["sourceType"]) == sourceType && !V.IsFalse(s["enabled"]) &&
                (s["eventCategories"] is null || categories.All(V.Strings(s["eventCategories"]).Contains)))
                ? []
                : Instances(c).Select(i => i.Violation($"no event subscription reports its critical {sourceType} events.",
                    $"add aws:rds:EventSubscription {{sourceType: {sourceType}, snsTopic, eventCategories: [{string.Join(", ", categories)}]}}")));

    public static IEnumerable<Rule> All =>
    [
        new("RDS.2", Severity.Critical, "publiclyAccessible is not true.", Rule.Mandatory, c =>
            Instances(c).Where(i => V.IsTrue(i["publiclyAccessible"]))
                .Select(i => i.Violation("is publicly accessible from the internet.", "set publiclyAccessible: false and place it in the network's database subnets"))),

        new("RDS.3", Severity.Medium, "storageEncrypted is true (covers RDS.4: snapshots inherit the instance's encryption).", Rule.Mandatory, c =>
            Instances(c).Where(i => !V.IsTrue(i["storageEncrypted"]))
                .Select(i => i.Violation("storage is not encrypted (and cannot be encrypted after creation).", "set storageEncrypted: true and kmsKeyId: ${<key>.arn}"))),

        new("RDS.5", Severity.Medium, "multiAz is true on every primary instance (mandatory in protected stages; read replicas are exempt).", Rule.WhereProtected, c =>
            Primaries(c).Where(i => !V.IsTrue(i["multiAz"]))
                .Select(i => i.Violation("runs in a single AZ.", "set multiAz: true"))),

        new("RDS.6", Severity.Low, "Enhanced monitoring: monitoringInterval is 1, 5, 10, 15, 30 or 60 with a monitoringRoleArn.", Rule.Advisory, c =>
            Instances(c).Where(i => !(V.Num(i["monitoringInterval"]) is { } n && MonitoringIntervals.Contains((int)n) && i["monitoringRoleArn"] is not null))
                .Select(i => i.Violation("has no enhanced monitoring.", "set monitoringInterval: 60 and monitoringRoleArn (a role trusting monitoring.rds.amazonaws.com)"))),

        new("RDS.8", Severity.Low, "deletionProtection is true (mandatory in protected stages).", Rule.WhereProtected, c =>
            Instances(c).Where(i => !V.IsTrue(i["deletionProtection"]))
                .Select(i => i.Violation("can be deleted by any API call.", "set deletionProtection: true"))),

        new("RDS.9", Severity.Medium, "The engine's logs are exported to CloudWatch (PostgreSQL: postgresql, upgrade; MySQL: audit, error, general, slowquery).", Rule.Advisory, c =>
            Instances(c).Where(i =>
                {
                    var exports = V.Strings(i["enabledCloudwatchLogsExports"]).ToHashSet(StringComparer.Ordinal);
                    return IsPostgres(i) ? !exports.IsSupersetOf(["postgresql", "upgrade"])
                        : IsMySql(i) ? !exports.IsSupersetOf(["audit", "error", "general", "slowquery"])
                        : exports.Count == 0;
                })
                .Select(i => i.Violation("does not export its engine logs to CloudWatch.",
                    "set enabledCloudwatchLogsExports: [postgresql, upgrade] (PostgreSQL) or [audit, error, general, slowquery] (MySQL)"))),

        new("RDS.10", Severity.Medium, "IAM database authentication is enabled.", Rule.Advisory, c =>
            Instances(c).Where(i => !V.IsTrue(i["iamDatabaseAuthenticationEnabled"]))
                .Select(i => i.Violation("has no IAM database authentication.", "set iamDatabaseAuthenticationEnabled: true"))),

        new("RDS.11", Severity.Medium, "backupRetentionPeriod is at least 7 days on primaries (mandatory where data is kept).", Rule.WhereDataIsKept, c =>
            Primaries(c).Where(i => !(V.Num(i["backupRetentionPeriod"]) is >= 7))
                .Select(i => i.Violation($"keeps automated backups for {V.Str(i["backupRetentionPeriod"]) ?? "the default 1"} day(s), fewer than 7.", "set backupRetentionPeriod: 7 to 35"))),

        new("RDS.13", Severity.High, "autoMinorVersionUpgrade is not false.", Rule.Mandatory, c =>
            Instances(c).Where(i => V.IsFalse(i["autoMinorVersionUpgrade"]))
                .Select(i => i.Violation("never receives minor version (security) upgrades.", "remove autoMinorVersionUpgrade: false (the default is true)"))),

        new("RDS.17", Severity.Low, "copyTagsToSnapshot is true.", Rule.Advisory, c =>
            Instances(c).Where(i => !V.IsTrue(i["copyTagsToSnapshot"]))
                .Select(i => i.Violation("does not copy tags to snapshots.", "set copyTagsToSnapshot: true"))),

        new("RDS.18", Severity.High, "Primary instances are in a VPC: dbSubnetGroupName is set (same-Region replicas inherit the source's).", Rule.Mandatory, c =>
            Primaries(c).Where(i => i["dbSubnetGroupName"] is null)
                .Select(i => i.Violation("has no DB subnet group, so it lands in the default VPC.", "set dbSubnetGroupName: ${network-db-subnets.name}"))),

        Subscription("RDS.20", "db-instance", ["failure", "maintenance", "configuration change"]),
        Subscription("RDS.21", "db-parameter-group", ["configuration change"]),
        Subscription("RDS.22", "db-security-group", ["configuration change", "failure"]),

        new("RDS.23", Severity.Low, "The instance does not listen on the engine's default port (5432 PostgreSQL, 3306 MySQL).", Rule.Advisory, c =>
            Instances(c).Where(i => V.Num(i["port"]) is not { } p ? IsPostgres(i) || IsMySql(i) : (IsPostgres(i) && p == 5432) || (IsMySql(i) && p == 3306))
                .Select(i => i.Violation("uses the engine's default port.", "set port to a non-default value (e.g. 5433); low value, decide deliberately"))),

        new("RDS.25", Severity.Medium, "The master username is not the engine default, and the password is managed by RDS (manageMasterUserPassword).", Rule.Advisory, c =>
            Primaries(c).Where(i => V.Str(i["username"]) is null or "admin" or "postgres" or "root" or "master" || !V.IsTrue(i["manageMasterUserPassword"]))
                .Select(i => i.Violation("uses a default master username or a template-managed password.", "set username to a custom name and manageMasterUserPassword: true"))),

        new("PLATFORM.RDS.1", Severity.High, "Where data is kept, deleting the instance takes a final snapshot (skipFinalSnapshot is not true).", Rule.WhereDataIsKept, c =>
            Primaries(c).Where(i => V.IsTrue(i["skipFinalSnapshot"]))
                .Select(i => i.Violation("would be deleted without a final snapshot.", "set skipFinalSnapshot: false and finalSnapshotIdentifier"))),
    ];
}
