using Platform.Infra.Model;
using static Platform.Infra.Tests.Policies.PolicyBuilders;
using Backup = Platform.Infra.Aws.Backup;
using Cfg = Platform.Infra.Aws.Cfg;
using GuardDuty = Platform.Infra.Aws.GuardDuty;
using S3 = Platform.Infra.Aws.S3;
using Trails = Platform.Infra.Aws.CloudTrail;

namespace Platform.Infra.Tests.Policies;

// The templates of the resilience and account-baseline rule cases (RuleCases.cs lists the cases).
public static partial class RuleCases
{
    // ---- AWS Backup and data resilience -----------------------------------------------------------------------
    private static Action<Template> Vault(bool key, bool locked = true) => t =>
    {
        var vault = t.Add(new Backup.Vault("vault", new Backup.VaultArgs { Name = "vault", KmsKeyArn = S(key ? "arn:aws:kms:eu-west-1:111111111111:key/1" : null) }));
        if (locked) t.Add(new Backup.VaultLockConfiguration("vault-lock", new Backup.VaultLockConfigurationArgs { BackupVaultName = vault.Name, MinRetentionDays = 35 }));
    };

    /// <summary>A plan whose one rule backs up into "vault" and copies to "dr-vault" in <paramref name="region"/> (null: the stack's).</summary>
    private static Backup.Plan Plan(Template t, string? region)
    {
        var vault = t.Add(new Backup.Vault("vault", new Backup.VaultArgs { Name = "vault", KmsKeyArn = "arn:aws:kms:eu-west-1:111111111111:key/1" }));
        var dr = t.Add(new Backup.Vault("dr-vault", new Backup.VaultArgs { Name = "dr-vault", KmsKeyArn = "arn:aws:kms:eu-central-1:111111111111:key/2", Region = S(region) }));
        return t.Add(new Backup.Plan("plan", new Backup.PlanArgs
        {
            Rules = new[]
            {
                new Backup.PlanRule { RuleName = "daily", TargetVaultName = vault.Name, CopyActions = new[] { new Backup.PlanRuleCopyAction { DestinationVaultArn = dr.Arn } } },
            },
        }));
    }

    private static Action<Template> CopiedTo(string? region) => t => Plan(t, region);

    private static Action<Template> BackedUp(bool selectsData) => t =>
    {
        t.AddBucket("data", new BucketParts { DataClassification = "restricted" });
        var plan = Plan(t, "eu-central-1");
        t.Add(new Backup.Selection("selection", new Backup.SelectionArgs
        {
            PlanId = plan.Id,
            IamRoleArn = "arn:aws:iam::111111111111:role/backup",
            Resources = [selectsData ? ((S3.Bucket)t.Find("data")!).Arn : (Input<string>)"arn:aws:s3:::other"],
        }));
    };

    private static Action<Template> Replicated(string? region, bool replicaVersioned = true) => t =>
    {
        t.AddBucket("data", new BucketParts { DataClassification = "restricted" });
        var replica = t.Add(new S3.Bucket("replica", new S3.BucketArgs { Bucket = "replica", Region = S(region) }));
        if (replicaVersioned)
            t.Add(new S3.BucketVersioning("replica-versioning", new S3.BucketVersioningArgs
            {
                Bucket = replica.Id, Region = S(region), VersioningConfiguration = new S3.BucketVersioningVersioningConfiguration { Status = "Enabled" },
            }));
        t.Add(new S3.BucketReplicationConfig("data-replication", new S3.BucketReplicationConfigArgs
        {
            Bucket = ((S3.Bucket)t.Find("data")!).Id,
            Role = "arn:aws:iam::111111111111:role/replication",
            Rules = new[] { new S3.BucketReplicationConfigRule { Status = "Enabled", Destination = new S3.BucketReplicationConfigRuleDestination { Bucket = replica.Arn } } },
        }));
    };

    // ---- Account baseline -------------------------------------------------------------------------------------
    private static readonly Trails.TrailArgs GoodTrail = new()
    {
        S3BucketName = "audit", IsMultiRegionTrail = true, EnableLogFileValidation = true, KmsKeyId = "arn:aws:kms:eu-west-1:111111111111:key/audit",
        CloudWatchLogsGroupArn = "arn:aws:logs:eu-west-1:111111111111:log-group:trail:*",
        EventSelectors = new[] { new Trails.TrailEventSelector { ReadWriteType = "All", IncludeManagementEvents = true } },
    };

    private static Action<Template> Trail(Func<Trails.TrailArgs, Trails.TrailArgs> change) => t => t.Add(new Trails.Trail("trail", change(GoodTrail)));

    private static Action<Template> Detector(bool enabled = true, string? feature = "S3_DATA_EVENTS") => t =>
    {
        var detector = t.Add(new GuardDuty.Detector("detector", new GuardDuty.DetectorArgs { Enable = enabled }));
        if (feature is not null)
            t.Add(new GuardDuty.DetectorFeature("detector-s3", new GuardDuty.DetectorFeatureArgs { DetectorId = detector.Id, Name = feature, Status = "ENABLED" }));
    };

    private static Action<Template> Recorder(bool allSupported = true, bool started = true, string role = "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig") => t =>
    {
        var recorder = t.Add(new Cfg.Recorder("recorder", new Cfg.RecorderArgs
        {
            RoleArn = $"arn:aws:iam::111111111111:role/{role}",
            RecordingGroup = new Cfg.RecorderRecordingGroup { AllSupported = allSupported, IncludeGlobalResourceTypes = true },
        }));
        t.Add(new Cfg.RecorderStatus("recorder-status", new Cfg.RecorderStatusArgs { Name = recorder.Name, IsEnabled = started }));
    };
}
