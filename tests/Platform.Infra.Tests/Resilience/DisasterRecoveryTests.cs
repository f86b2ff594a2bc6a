using System.Text.Json;
using System.Text.Json.Nodes;
using Moq;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>
/// Data resilience of the real stacks (<c>platform:dr</c>): backups copied to the DR region, the database's backups
/// replicated there, the secure store replicated live with a role that can do exactly that, restore drills of the
/// protected resources, and nothing of it in dev.
/// </summary>
public class DisasterRecoveryTests
{
    private static Template Stack(string stack, Action<JsonObject>? dr = null)
    {
        var result = TestStacks.CompileChecked(stack, DrSettings.Key, dr);
        Assert.True(result.Succeeded, result.ErrorMessage);
        return result.Template!;
    }

    private const string DrRegion = "eu-central-1";

    [Fact]
    public void Every_backup_is_copied_to_the_dr_vault_in_the_dr_region_with_a_key_of_that_region()
    {
        var template = Stack("prod");
        var rule = "rules[0]";
        var plan = template.Get("backup-plan");
        Assert.Equal("${backup-vault.name}", plan.Text($"{rule}.targetVaultName"));
        Assert.Equal("${backup-dr-vault.arn}", plan.Text($"{rule}.copyActions[0].destinationVaultArn"));
        Assert.Equal("35", plan.Text($"{rule}.copyActions[0].lifecycle.deleteAfter"));

        var drVault = template.Get("backup-dr-vault");
        Assert.Equal(DrRegion, drVault.Text("region"));
        Assert.Equal("${backup-dr-vault-key.arn}", drVault.Text("kmsKeyArn"));
        Assert.Equal(DrRegion, template.Get("backup-dr-vault-key").Text("region"));
        Assert.Equal(DrRegion, template.Get("backup-dr-vault-key-alias").Text("region"));

        var primary = template.Get("backup-vault");
        Assert.Null(primary.Text("region"));
        Assert.Equal("${backup-vault-key.arn}", primary.Text("kmsKeyArn"));
        Assert.Null(template.Get("backup-vault-key").Text("region"));
    }

    [Fact]
    public void The_plan_backs_up_the_database_and_the_secure_store_within_the_rpo_and_keeps_them_for_the_retention()
    {
        var template = Stack("prod");
        var plan = template.Get("backup-plan");
        Assert.Equal("cron(0 */4 * * ? *)", plan.Text("rules[0].schedule")); // prod: RPO 4 h
        Assert.Equal("35", plan.Text("rules[0].lifecycle.deleteAfter"));
        var selection = template.Get("backup-selection");
        Assert.Equal("${backup-plan.id}", selection.Text("planId"));
        Assert.Equal(["${database-instance.arn}", "${signatures-images-bucket.arn}"], Items(selection.Prop("resources")));
        Assert.Equal("${backup-role.arn}", selection.Text("iamRoleArn"));

        // An RPO that is not a whole divisor of a day gets the next shorter frequency.
        Assert.Equal("cron(0 */4 * * ? *)", Stack("prod", d => d["rpoHours"] = 5).Get("backup-plan").Text("rules[0].schedule"));
        Assert.Equal("cron(0 3 * * ? *)", Stack("stage").Get("backup-plan").Text("rules[0].schedule"));
    }

    [Fact]
    public void The_backup_role_is_assumable_by_aws_backup_only_and_holds_the_managed_backup_and_restore_policies()
    {
        var template = Stack("prod");
        var attached = template.Resources.Where(r => r.TypeToken == "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.Text("role") == "${backup-role.name}")
            .Select(r => r.Text("policyArn")).Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
            "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        ], attached);
        var trust = Evaluator(template).Json(template.Get("backup-role").Prop("assumeRolePolicy")!).GetProperty("Statement")[0];
        Assert.Equal("backup.amazonaws.com", trust.GetProperty("Principal").GetProperty("Service")[0].GetString());
    }

    [Fact]
    public void The_database_backups_are_replicated_by_rds_to_the_dr_region_with_the_dr_key()
    {
        var replication = Stack("prod").Get("backup-database-replication");
        Assert.Equal("${database-instance.arn}", replication.Text("sourceDbInstanceArn"));
        Assert.Equal(DrRegion, replication.Text("region"));
        Assert.Equal("${backup-dr-vault-key.arn}", replication.Text("kmsKeyId"));
        Assert.Equal("30", replication.Text("retentionPeriod")); // prod's backupRetentionDays
    }

    [Fact]
    public void The_secure_store_replicates_to_a_private_versioned_bucket_in_the_dr_region_encrypted_with_the_dr_key()
    {
        var template = Stack("prod");
        var replica = template.Resources.Where(r => r.LogicalName.StartsWith("signatures-images-dr-", StringComparison.Ordinal)).ToList();
        // No server access logging: S3 logs only to a bucket of the same region, and the log bucket is in the stack's.
        Assert.Equal(["bucket", "encryption", "lifecycle", "ownership", "policy", "public", "versioning"],
            replica.Select(r => r.LogicalName["signatures-images-dr-".Length..].Split('-')[0]).Order(StringComparer.Ordinal));
        Assert.All(replica, r => Assert.Equal(DrRegion, r.Text("region")));
        Assert.Equal("platform-prod-signatures-images-dr-333333333333", template.Get("signatures-images-dr-bucket").Text("bucket"));
        Assert.Equal("${backup-dr-vault-key.arn}", template.Get("signatures-images-dr-encryption").Text("rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId"));
        Assert.Equal("Enabled", template.Get("signatures-images-dr-versioning").Text("versioningConfiguration.status"));
        Assert.Equal("BucketOwnerEnforced", template.Get("signatures-images-dr-ownership").Text("rule.objectOwnership"));
        var block = template.Get("signatures-images-dr-public-access");
        Assert.All(new[] { "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets" }, f => Assert.Equal("true", block.Text(f)));
        var policy = Evaluator(template).Json(template.Get("signatures-images-dr-policy").Prop("policy")!).GetProperty("Statement").EnumerateArray().ToList();
        Assert.Equal(PolicyDecision.ExplicitDeny, PolicySimulator.Decide(policy,
            PolicyRequest.Of("s3:GetObject", "arn:aws:s3:::signatures-images-dr-bucket/a.png", ("aws:SecureTransport", "false"))));
    }

    [Fact]
    public void Replication_keeps_deletes_out_of_the_replica_replicates_kms_objects_and_waits_for_versioning()
    {
        var template = Stack("prod");
        var config = template.Get("signatures-images-replication");
        Assert.Equal("${signatures-images-bucket.id}", config.Text("bucket"));
        Assert.Equal("${signatures-images-replication-role.arn}", config.Text("role"));
        Assert.Equal("Disabled", config.Text("rules[0].deleteMarkerReplication.status"));
        Assert.Equal("Enabled", config.Text("rules[0].sourceSelectionCriteria.sseKmsEncryptedObjects.status"));
        Assert.Equal("${signatures-images-dr-bucket.arn}", config.Text("rules[0].destination.bucket"));
        Assert.Equal("${backup-dr-vault-key.arn}", config.Text("rules[0].destination.encryptionConfiguration.replicaKmsKeyId"));
        Assert.Contains("signatures-images-versioning", config.Options.DependsOn!.Select(r => r.LogicalName));
        Assert.Contains("signatures-images-dr-versioning", config.Options.DependsOn!.Select(r => r.LogicalName));
        Assert.Contains("signatures-images-replication-policy", config.Options.DependsOn!.Select(r => r.LogicalName));
    }

    [Theory]
    [InlineData("prod", true)]
    [InlineData("stage", false)]
    public void Replication_time_control_and_its_metrics_are_on_where_the_stage_asks(string stack, bool rtc)
    {
        var destination = "rules[0].destination";
        var config = Stack(stack).Get("signatures-images-replication");
        Assert.Equal(rtc ? "Enabled" : null, config.Text($"{destination}.replicationTime.status"));
        Assert.Equal(rtc ? "15" : null, config.Text($"{destination}.replicationTime.time.minutes"));
        Assert.Equal(rtc ? "Enabled" : null, config.Text($"{destination}.metrics.status"));
    }

    private const string Source = "arn:aws:s3:::signatures-images-bucket";
    private const string Replica = "arn:aws:s3:::signatures-images-dr-bucket";
    private const string SourceKey = "arn:aws:kms:eu-west-1:333333333333:key/signatures-images-key";
    private const string DrKey = "arn:aws:kms:eu-central-1:333333333333:key/backup-dr-vault-key";

    private static PolicyRequest Kms(string action, string key, string service, string context) =>
        PolicyRequest.Of(action, key, ("kms:ViaService", service), ("kms:EncryptionContext:aws:s3:arn", context));

    [Fact]
    public void The_replication_role_reads_the_source_with_its_key_and_writes_the_replica_with_the_dr_key_and_nothing_more()
    {
        var template = Stack("prod");
        var policy = Evaluator(template).Json(template.Get("signatures-images-replication-policy").Prop("policy")!).GetProperty("Statement").EnumerateArray().ToList();

        PolicyRequest[] allowed =
        [
            PolicyRequest.Of("s3:GetReplicationConfiguration", Source),
            PolicyRequest.Of("s3:ListBucket", Source),
            PolicyRequest.Of("s3:GetObjectVersionForReplication", $"{Source}/a.png"),
            PolicyRequest.Of("s3:GetObjectVersionAcl", $"{Source}/a.png"),
            PolicyRequest.Of("s3:GetObjectVersionTagging", $"{Source}/a.png"),
            Kms("kms:Decrypt", SourceKey, "s3.eu-west-1.amazonaws.com", Source),            // with the source's S3 Bucket Key
            Kms("kms:Decrypt", SourceKey, "s3.eu-west-1.amazonaws.com", $"{Source}/a.png"), // without
            PolicyRequest.Of("s3:ReplicateObject", $"{Replica}/a.png"),
            PolicyRequest.Of("s3:ReplicateDelete", $"{Replica}/a.png"),
            PolicyRequest.Of("s3:ReplicateTags", $"{Replica}/a.png"),
            Kms("kms:Encrypt", DrKey, "s3.eu-central-1.amazonaws.com", Replica),
            Kms("kms:Encrypt", DrKey, "s3.eu-central-1.amazonaws.com", $"{Replica}/a.png"),
        ];
        Assert.All(allowed, r => Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(policy, r)));

        PolicyRequest[] refused =
        [
            PolicyRequest.Of("s3:GetObject", $"{Source}/a.png"),
            PolicyRequest.Of("s3:PutObject", $"{Replica}/a.png"),
            PolicyRequest.Of("s3:DeleteObject", $"{Source}/a.png"),
            PolicyRequest.Of("s3:ReplicateObject", $"{Source}/a.png"),
            PolicyRequest.Of("s3:GetObjectVersionForReplication", $"{Replica}/a.png"),
            PolicyRequest.Of("s3:PutReplicationConfiguration", Source),
            Kms("kms:Decrypt", DrKey, "s3.eu-central-1.amazonaws.com", Replica),                 // cannot read the replicas
            Kms("kms:Encrypt", SourceKey, "s3.eu-west-1.amazonaws.com", Source),
            Kms("kms:Decrypt", SourceKey, "ec2.eu-west-1.amazonaws.com", Source),                // only through S3
            Kms("kms:Decrypt", SourceKey, "s3.eu-west-1.amazonaws.com", "arn:aws:s3:::other"),   // only the store's objects
            Kms("kms:Encrypt", DrKey, "s3.eu-central-1.amazonaws.com", "arn:aws:s3:::other/a"),
            Kms("kms:GenerateDataKey", DrKey, "s3.eu-central-1.amazonaws.com", Replica),
        ];
        Assert.All(refused, r => Assert.Equal(PolicyDecision.NotAllowed, PolicySimulator.Decide(policy, r)));
    }

    [Fact]
    public void The_source_bucket_policy_does_not_block_the_replication_roles_reads()
    {
        var template = Stack("prod");
        var policy = Evaluator(template).Json(template.Get("signatures-images-policy").Prop("policy")!).GetProperty("Statement").EnumerateArray().ToList();
        foreach (var action in new[] { "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging" })
            Assert.NotEqual(PolicyDecision.ExplicitDeny, PolicySimulator.Decide(policy, PolicyRequest.Of(action, $"{Source}/a.png", ("aws:SecureTransport", "true"))));
        Assert.NotEqual(PolicyDecision.ExplicitDeny, PolicySimulator.Decide(policy, PolicyRequest.Of("s3:GetReplicationConfiguration", Source, ("aws:SecureTransport", "true"))));
    }

    [Fact]
    public void Restore_drills_restore_the_latest_recovery_point_of_every_protected_resource_into_the_database_subnets()
    {
        var template = Stack("prod");
        var plan = template.Get("backup-drills");
        Assert.Equal("LATEST_WITHIN_WINDOW", plan.Text("recoveryPointSelection.algorithm"));
        Assert.Equal(["${backup-vault.arn}"], Items(plan.Prop("recoveryPointSelection.includeVaults")));
        Assert.Equal("7", plan.Text("recoveryPointSelection.selectionWindowDays"));
        Assert.Equal("cron(0 5 ? * SUN *)", plan.Text("scheduleExpression"));
        Assert.Matches("^[A-Za-z0-9_]{1,50}$", plan.Text("name"));

        var database = template.Get("backup-drills-database");
        Assert.Equal("RDS", database.Text("protectedResourceType"));
        Assert.Equal(["${database-instance.arn}"], Items(database.Prop("protectedResourceArns")));
        Assert.Equal("${backup-drills.name}", database.Text("restoreTestingPlanName"));
        Assert.Equal("${network-db-subnets.name}", database.Text("restoreMetadataOverrides.dbsubnetgroupname"));
        Assert.Equal("4", database.Text("validationWindowHours"));
        var stores = template.Get("backup-drills-stores");
        Assert.Equal("S3", stores.Text("protectedResourceType"));
        Assert.Equal(["${signatures-images-bucket.arn}"], Items(stores.Prop("protectedResourceArns")));

        // What the drills restore is what the plan backs up.
        Assert.Equal(Items(template.Get("backup-selection").Prop("resources")),
            [.. Items(database.Prop("protectedResourceArns")), .. Items(stores.Prop("protectedResourceArns"))]);
    }

    [Fact]
    public void Recovery_points_are_locked_in_governance_mode_unless_compliance_is_asked_for_explicitly()
    {
        var prod = Stack("prod");
        foreach (var lockName in new[] { "backup-vault-lock", "backup-dr-vault-lock" })
        {
            Assert.Equal("35", prod.Get(lockName).Text("minRetentionDays"));
            Assert.Null(prod.Get(lockName).Text("changeableForDays"));
        }
        Assert.Equal(DrRegion, prod.Get("backup-dr-vault-lock").Text("region"));
        var compliance = Stack("prod", d => d["vaultLock"] = new JsonObject { ["mode"] = "compliance", ["changeableForDays"] = 7 });
        Assert.Equal("7", compliance.Get("backup-vault-lock").Text("changeableForDays"));
    }

    [Fact]
    public void Dev_has_no_dr_at_all()
    {
        var dev = Stack("dev");
        Assert.DoesNotContain(dev.Resources, r => r.TypeToken.StartsWith("aws:backup/", StringComparison.Ordinal)
            || r.TypeToken is "aws:s3/bucketReplicationConfig:BucketReplicationConfig" or "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"
            || r.Text("region") is not null && r.Text("region") != "us-east-1");
        Assert.DoesNotContain(StackOutputs.DrVaultArn, dev.Outputs.Keys);
    }

    [Fact]
    public void Two_stacks_in_one_account_name_their_vaults_plans_and_replicas_apart()
    {
        static Template Compiled(string stack)
        {
            var config = TestStacks.Config(c =>
            {
                c["platform:services"] = StorageStacks.Services;
                c["platform:profile"] = """{"protect":false,"disposableData":false,"logRetentionDays":30}""";
                c[DrSettings.Key] = """{"region":"eu-central-1","rpoHours":24,"rtoHours":8}""";
            });
            var result = TestStacks.Compile(config, stack);
            Assert.True(result.Succeeded, result.ErrorMessage);
            return result.Template!;
        }
        var a = Compiled("blue");
        var b = Compiled("green");
        foreach (var (resource, field) in new[] { ("backup-vault", "name"), ("backup-dr-vault", "name"), ("backup-plan", "name"), ("backup-drills", "name"), ("backup-role", "name"), ("signatures-images-dr-bucket", "bucket") })
            Assert.NotEqual(a.Get(resource).Text(field), b.Get(resource).Text(field));
    }

    private static IReadOnlyList<string?> Items(Value? value) => ((ListValue)value!).Items.Select(i => TemplateQuery.Text(i)).ToList();

    /// <summary>Fake outputs shaped like real ARNs: a key's ARN names the region it is created in.</summary>
    private static Evaluator Evaluator(Template template)
    {
        var outputs = new Mock<IDeployedOutputs>(MockBehavior.Strict);
        outputs.Setup(o => o.Get(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>())).Returns((string name, string type, string path) => (type, path) switch
        {
            ("aws:s3/bucket:Bucket", "arn") => $"arn:aws:s3:::{name}",
            ("aws:kms/key:Key", "arn") => $"arn:aws:kms:{template.Get(name).Text("region") ?? "eu-west-1"}:333333333333:key/{name}",
            ("aws:iam/role:Role", "arn") => $"arn:aws:iam::333333333333:role/{name}",
            ("aws:cloudfront/distribution:Distribution", "arn") => $"arn:aws:cloudfront::333333333333:distribution/{name}",
            _ => throw new InvalidOperationException($"unexpected output {name}.{path} ({type})"),
        });
        return new Evaluator(template, outputs.Object);
    }
}
