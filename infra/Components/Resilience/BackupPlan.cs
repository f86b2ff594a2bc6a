using Platform.Infra.Aws;
using Platform.Infra.Aws.Backup;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Resilience;

/// <summary>
/// The stack's AWS Backup plan: one rule that backs up the protected resources every
/// <see cref="DrSettings.BackupFrequencyHours"/> hours into the primary vault, keeps each recovery point
/// <see cref="DrSettings.RetentionDays"/> days, and copies it to the DR vault (copy action, same retention); a
/// selection naming the protected resources by ARN; and the role AWS Backup uses for backups, copies and restores.
/// </summary>
public sealed class BackupPlan
{
    /// <summary>
    /// The AWS managed policies of the role AWS Backup assumes (AWS Backup developer guide, "Managed policies for AWS
    /// Backup"): backups and restores of RDS and the other services live under <c>service-role/</c>; the S3 ones
    /// (S3 needs its own, AWS Backup developer guide, "Amazon S3 backups") do not.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ManagedPolicies = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["backup"] = "service-role/AWSBackupServiceRolePolicyForBackup",
        ["restores"] = "service-role/AWSBackupServiceRolePolicyForRestores",
        ["s3-backup"] = "AWSBackupServiceRolePolicyForS3Backup",
        ["s3-restore"] = "AWSBackupServiceRolePolicyForS3Restore",
    };

    /// <summary>Minutes a scheduled backup may wait to start: AWS Backup's shortest start window (AWS Backup developer guide, "Backup plan options"), so a backup is never late by more than an hour.</summary>
    public const int StartWindowMinutes = 60;

    private BackupPlan(Plan plan, Selection selection, Role role, IReadOnlyList<Resource> roleReady)
    {
        Plan = plan;
        Selection = selection;
        Role = role;
        RoleReady = roleReady;
    }

    public Plan Plan { get; }

    public Selection Selection { get; }

    /// <summary>The role AWS Backup assumes: the backup selection and the restore drills name it.</summary>
    public Role Role { get; }

    /// <summary>The role's policy attachments: what uses the role waits for them.</summary>
    public IReadOnlyList<Resource> RoleReady { get; }

    public static BackupPlan Create(ComponentScope scope, StackSettings settings, DrSettings dr, BackupVaults vaults, IReadOnlyList<Output<string>> protectedArns)
    {
        var aws = settings.Aws;
        var role = scope.Add("role", new RoleArgs
        {
            Name = scope.PhysicalName("role", ComponentScope.RoleNameLength),
            Description = "Lets AWS Backup back up, copy and restore the protected resources of this stack.",
            AssumeRolePolicy = PolicyDocument.AssumableBy("backup.amazonaws.com", aws.AccountId).ToJson(),
        });
        var attachments = ManagedPolicies.Select(policy => (Resource)scope.Add($"role-{policy.Key}", new RolePolicyAttachmentArgs
        {
            Role = role.Name,
            PolicyArn = $"arn:{aws.Partition}:iam::aws:policy/{policy.Value}",
        })).ToList();

        var plan = scope.Add("plan", new PlanArgs
        {
            Name = scope.PhysicalName("plan", BackupVaults.MaxNameLength),
            Rules =
            [
                new PlanRule
                {
                    RuleName = $"every-{dr.BackupFrequencyHours}h-copy-to-{dr.Region}",
                    TargetVaultName = vaults.Primary.Name,
                    Schedule = dr.BackupSchedule,
                    ScheduleExpressionTimezone = "Etc/UTC",
                    StartWindow = StartWindowMinutes,
                    Lifecycle = new PlanRuleLifecycle { DeleteAfter = dr.RetentionDays },
                    CopyActions =
                    [
                        new PlanRuleCopyAction
                        {
                            DestinationVaultArn = vaults.Dr.Arn,
                            Lifecycle = new PlanRuleCopyActionLifecycle { DeleteAfter = dr.RetentionDays },
                        },
                    ],
                },
            ],
        });
        var selection = scope.Add("selection", new SelectionArgs
        {
            Name = scope.PhysicalName("selection", BackupVaults.MaxNameLength),
            PlanId = plan.Id,
            IamRoleArn = role.Arn,
            Resources = [.. protectedArns],
        }, new ResourceOptions { DependsOn = attachments });
        return new BackupPlan(plan, selection, role, attachments);
    }
}
