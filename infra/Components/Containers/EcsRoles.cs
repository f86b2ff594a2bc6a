using Platform.Infra.Aws;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>The roles of ECS tasks: an execution role (what ECS needs to start a task) and a task role (what its code may do).</summary>
public static class EcsRoles
{
    /// <summary>
    /// A role only ECS tasks (and the ECS agent starting them) in this account can assume, named after its scope.
    /// <c>aws:SourceAccount</c> only: ECS documents <c>aws:SourceArn</c> for task roles, not for the execution role
    /// (ECS developer guide, "Task execution IAM role").
    /// </summary>
    /// <param name="scope">The component's scope.</param>
    /// <param name="role">The logical role, e.g. <c>execution-role</c> (the physical name drops "-role").</param>
    /// <param name="description">What the role is for.</param>
    /// <param name="aws">The account.</param>
    public static Role Create(ComponentScope scope, string role, string description, AwsSettings aws) => scope.Add(role, new RoleArgs
    {
        Name = scope.PhysicalName(role.Replace("-role", "", StringComparison.Ordinal), ComponentScope.RoleNameLength),
        Description = description,
        AssumeRolePolicy = PolicyDocument.AssumableBy("ecs-tasks.amazonaws.com", aws.AccountId).ToJson(),
    });

    /// <summary>Writing a task's logs: create streams and put events in that log group only.</summary>
    public static PolicyStatement WriteLogs(Output<string> logGroupArn) => new()
    {
        Sid = "WriteLogs",
        Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resources = [Output.Format($"{logGroupArn}:log-stream:*")],
    };
}
