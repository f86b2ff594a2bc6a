using Platform.Infra.Aws;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// The two account-wide roles DMS looks up by their fixed names (DMS user guide, "Creating the IAM roles to use with
/// AWS DMS"): <c>dms-vpc-role</c> (AmazonDMSVPCManagementRole: DMS creates the replication instance's network
/// interfaces; without it creating a replication subnet group fails with "The IAM Role ... dms-vpc-role is not
/// configured properly") and <c>dms-cloudwatch-logs-role</c> (AmazonDMSCloudWatchLogsRole: DMS writes task logs).
/// <para>
/// A fixed name exists once per account: the first stack with a migration creates them (the defaults
/// <c>createDmsVpcRole</c>/<c>createDmsCloudWatchLogsRole: true</c>); a second stack in the same account sets both to
/// false and uses them. They are kept when the stack that made them is destroyed (<c>retainOnDelete</c>), so the other
/// stacks' migrations keep working; docs/migration.md says how to remove them once no migration is left.
/// </para>
/// </summary>
public sealed class DmsAccountRoles
{
    public const string VpcRoleName = "dms-vpc-role";
    public const string CloudWatchLogsRoleName = "dms-cloudwatch-logs-role";

    public DmsAccountRoles(ComponentScope scope, MigrationSettings settings, AwsSettings aws)
    {
        VpcRole = settings.CreateDmsVpcRole ? Create(scope, "dms-vpc-role", VpcRoleName, "AmazonDMSVPCManagementRole", aws) : null;
        LogsRole = settings.CreateDmsCloudWatchLogsRole ? Create(scope, "dms-logs-role", CloudWatchLogsRoleName, "AmazonDMSCloudWatchLogsRole", aws) : null;
    }

    /// <summary>The attachment of dms-vpc-role's policy: what the replication subnet group waits for; null when the account has it already.</summary>
    public RolePolicyAttachment? VpcRole { get; }

    /// <summary>The attachment of dms-cloudwatch-logs-role's policy: what the task waits for; null when the account has it already.</summary>
    public RolePolicyAttachment? LogsRole { get; }

    private static RolePolicyAttachment Create(ComponentScope scope, string role, string name, string managedPolicy, AwsSettings aws)
    {
        var keep = new ResourceOptions { RetainOnDelete = true };
        var created = scope.Add(role, new RoleArgs
        {
            Name = name,
            Description = $"Account-wide role AWS DMS requires by this name ({managedPolicy}); created by {scope.Stack.Project}/{scope.Stack.Stack}.",
            AssumeRolePolicy = PolicyDocument.AssumableBy("dms.amazonaws.com", aws.AccountId).ToJson(),
        }, keep);
        return scope.Add($"{role}-policy", new RolePolicyAttachmentArgs
        {
            Role = created.Name,
            PolicyArn = $"arn:{aws.Partition}:iam::aws:policy/service-role/{managedPolicy}",
        }, keep);
    }
}
