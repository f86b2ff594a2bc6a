using Platform.Infra.Aws;
using Platform.Infra.Aws.Rds;
using Platform.Infra.Components.Storage;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Resilience;

/// <summary>
/// The stack's data resilience (<c>platform:dr</c>, docs/dr.md): the protected resources (the database and every
/// secure store) are backed up by AWS Backup within the RPO and copied to the DR region; the database's automated
/// backups are also replicated there by RDS (point-in-time restore in the DR region); every secure store is replicated
/// live to a replica bucket there; and restore drills prove on a schedule that the recovery points restore. Static
/// sites are not protected: they are rebuilt from the repository. Transient stores hold data for hours, by design.
/// </summary>
public sealed class DisasterRecovery
{
    private DisasterRecovery(BackupVaults vaults, BackupPlan plan, IReadOnlyList<StoreReplication> replications)
    {
        Vaults = vaults;
        Plan = plan;
        Replications = replications;
    }

    public BackupVaults Vaults { get; }

    public BackupPlan Plan { get; }

    public IReadOnlyList<StoreReplication> Replications { get; }

    /// <summary>What monitoring watches: the primary vault, whose failed jobs and drills reach the alarm topic.</summary>
    public BackupWatch Watch => new(Vaults.Primary.Arn);

    /// <summary>The stack's DR, or null when <c>platform:dr</c> is not set (or the stack has nothing to protect).</summary>
    public static DisasterRecovery? Create(StackContext stack, StackSettings settings, Network network, Database? database, StackStorage storage)
    {
        if (settings.Dr is not { } dr) return null;
        var owned = settings.Services.SelectMany(s => storage.For(s.Name).OfType<SecureStore>().Select(store => (Service: s, Store: store))).ToList();
        var stores = owned.Select(o => o.Store).ToList();
        if (database is null && stores.Count == 0) return null;

        var scope = new ComponentScope(stack, ComponentNames.Backup);
        var vaults = BackupVaults.Create(scope, settings, dr);
        var plan = BackupPlan.Create(scope, settings, dr, vaults, [.. database is null ? [] : new[] { database.Instance.Arn }, .. stores.Select(s => s.BucketArn)]);

        if (database is not null)
            // RDS's own cross-region copy of snapshots and transaction logs: point-in-time restore in the DR region, for
            // every engine RDS offers (RDS user guide, "Supported Regions and DB engines for cross-Region automated
            // backups"). It needs the instance's automated backups (backupRetentionDays > 0, which the settings require).
            scope.Add("database-replication", new InstanceAutomatedBackupsReplicationArgs
            {
                SourceDbInstanceArn = database.Instance.Arn,
                KmsKeyId = vaults.DrKey.Key.Arn,
                RetentionPeriod = database.Settings.BackupRetentionDays,
                Region = dr.Region,
            });

        var replications = owned
            .Select(o => StoreReplication.Create(new ComponentScope(stack, o.Service.Name, o.Service.Tags), settings, dr, o.Store, vaults.DrKey))
            .ToList();

        var targets = new List<DrillTarget>();
        if (database is not null)
            // Without overrides AWS Backup restores into the default VPC, which the platform's accounts need not have
            // (AWS Backup developer guide, "Restore testing inferred metadata"): the drill restores into the database
            // subnets, behind the database's security group (no egress, ingress only from admitted services).
            targets.Add(new DrillTarget("database", "RDS", [database.Instance.Arn], new Dictionary<string, Output<string>>(StringComparer.Ordinal)
            {
                ["dbsubnetgroupname"] = network.DbSubnetGroup.Name,
                ["vpcSecurityGroupIds"] = Output.Format($"[\"{database.SecurityGroup.Id}\"]"),
            }));
        if (stores.Count > 0)
            targets.Add(new DrillTarget("stores", "S3", [.. stores.Select(s => s.BucketArn)]));
        RestoreDrills.Create(scope, dr, vaults, plan, targets);

        stack.Template.Export(StackOutputs.BackupVaultName, vaults.Primary.Name);
        stack.Template.Export(StackOutputs.DrVaultArn, vaults.Dr.Arn);
        return new DisasterRecovery(vaults, plan, replications);
    }
}
