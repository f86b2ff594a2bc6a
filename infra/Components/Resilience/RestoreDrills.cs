using Platform.Infra.Aws;
using Platform.Infra.Aws.Backup;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Resilience;

/// <summary>What a restore drill restores: the resource type AWS Backup names, the resources, and restore metadata overrides.</summary>
public sealed record DrillTarget(string Role, string ResourceType, IReadOnlyList<Output<string>> Arns, IReadOnlyDictionary<string, Output<string>>? Overrides = null);

/// <summary>
/// Automated restore drills (AWS Backup developer guide, "Restore testing"): on the drills' schedule AWS Backup picks
/// the latest recovery point of each protected resource in the primary vault (LATEST_WITHIN_WINDOW over the lookback
/// days), restores it into a new resource, keeps it for the validation window and deletes it. Each job's duration is the
/// restore time the RTO is measured against (<c>aws backup list-restore-jobs-by-protected-resource</c>, docs/dr.md).
/// <para>
/// Names of restore testing plans and selections take letters, digits and '_' only (1-50), so they are the physical
/// name with '_' for '-': unique per account like every physical name.
/// </para>
/// </summary>
public static class RestoreDrills
{
    public const int MaxNameLength = 50;

    public static RestoreTestingPlan Create(ComponentScope scope, DrSettings dr, BackupVaults vaults, BackupPlan plan, IReadOnlyList<DrillTarget> targets)
    {
        var drills = dr.Drills;
        var testing = scope.Add("drills", new RestoreTestingPlanArgs
        {
            Name = Name(scope, "drills"),
            ScheduleExpression = drills.Schedule,
            ScheduleExpressionTimezone = "Etc/UTC",
            StartWindowHours = drills.StartWindowHours,
            RecoveryPointSelection = new RestoreTestingPlanRecoveryPointSelection
            {
                Algorithm = "LATEST_WITHIN_WINDOW",
                IncludeVaults = [vaults.Primary.Arn],
                RecoveryPointTypes = ["SNAPSHOT"],
                SelectionWindowDays = drills.LookbackDays,
            },
        });
        foreach (var target in targets)
            scope.Add($"drills-{target.Role}", new RestoreTestingSelectionArgs
            {
                Name = Name(scope, $"drills-{target.Role}"),
                RestoreTestingPlanName = testing.Name,
                ProtectedResourceType = target.ResourceType,
                ProtectedResourceArns = [.. target.Arns],
                IamRoleArn = plan.Role.Arn,
                ValidationWindowHours = drills.ValidationWindowHours,
                RestoreMetadataOverrides = Map(target.Overrides),
            }, new ResourceOptions { DependsOn = plan.RoleReady });
        return testing;
    }

    private static InputMap<string>? Map(IReadOnlyDictionary<string, Output<string>>? overrides)
    {
        if (overrides is null) return null;
        var map = new InputMap<string>();
        foreach (var (key, value) in overrides) map.Add(key, value);
        return map;
    }

    private static string Name(ComponentScope scope, string role) => ComponentScope.Shorten(scope.PhysicalName(role), MaxNameLength).Replace('-', '_');
}
