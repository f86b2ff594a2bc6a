using System.Text.Json;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Vpc;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.ServiceStacks;

namespace Platform.Infra.Tests;

/// <summary>Container services: the security group chain, no secret in any template, least-privilege roles and grants.</summary>
public class ServiceSecurityTests
{
    [Fact]
    public void The_security_group_chain_is_internet_to_alb_to_service_to_database_and_nothing_else()
    {
        var template = Stack();
        var ingress = template.OfType<SecurityGroupIngressRule>()
            .Select(r => (To: Ref(r.Prop("securityGroupId")), From: r.Text("cidrIpv4") ?? Ref(r.Prop("referencedSecurityGroupId")), Port: r.Text("fromPort"), ToPort: r.Text("toPort"), Protocol: r.Text("ipProtocol")))
            .OrderBy(r => r.To).ThenBy(r => r.Port).ToList();
        Assert.Equal(
        [
            ("api-app-alb-sg.id", "0.0.0.0/0", "443", "443", "tcp"),
            ("api-app-alb-sg.id", "0.0.0.0/0", "80", "80", "tcp"),
            ("api-app-task-sg.id", "api-app-alb-sg.id", "8080", "8080", "tcp"),
            ("database-sg.id", "api-app-task-sg.id", "5432", "5432", "tcp"),
            ("database-sg.id", "database-users-sg.id", "5432", "5432", "tcp"),
            ("worker-app-alb-sg.id", "0.0.0.0/0", "443", "443", "tcp"),
            ("worker-app-alb-sg.id", "0.0.0.0/0", "80", "80", "tcp"),
            ("worker-app-task-sg.id", "worker-app-alb-sg.id", "9000", "9000", "tcp"),
        ], ingress);

        var egress = template.OfType<SecurityGroupEgressRule>()
            .Select(r => (From: Ref(r.Prop("securityGroupId")), To: r.Text("cidrIpv4") ?? Ref(r.Prop("referencedSecurityGroupId")), Port: r.Text("fromPort")))
            .OrderBy(r => r.From).ThenBy(r => r.Port).ToList();
        Assert.Equal(
        [
            ("api-app-alb-sg.id", "api-app-task-sg.id", "8080"),
            ("api-app-task-sg.id", "0.0.0.0/0", "443"),
            ("api-app-task-sg.id", "database-sg.id", "5432"),
            ("database-users-sg.id", "0.0.0.0/0", "443"),
            ("database-users-sg.id", "database-sg.id", "5432"),
            ("worker-app-alb-sg.id", "worker-app-task-sg.id", "9000"),
            ("worker-app-task-sg.id", "0.0.0.0/0", "443"),
        ], egress);

        // No security group carries inline rules that would bypass the list above.
        Assert.All(template.OfType<SecurityGroup>(), sg =>
        {
            Assert.Null(sg.Prop("ingress"));
            Assert.Null(sg.Prop("egress"));
        });
        Assert.Equal(["api-app-task-sg.id"], Refs(template.Get("api-app-service").Prop("networkConfiguration.securityGroups")));
        Assert.Equal(["api-app-alb-sg.id"], Refs(template.Get("api-app-alb").Prop("securityGroups")));
        Assert.Equal(["database-sg.id"], Refs(template.Get("database-instance").Prop("vpcSecurityGroupIds")));
    }

    [Fact]
    public void No_password_or_secret_value_appears_in_any_template()
    {
        foreach (var stack in new[] { "dev", "stage", "prod" })
        {
            var result = StackTemplateTests.CompileStack(stack);
            Assert.True(result.Succeeded, result.Error?.Message);
            AssertNoSecrets(result.Template!, result.Text!);
        }
        var template = Stack();
        AssertNoSecrets(template, TemplateWriter.Write(template));
    }

    private static void AssertNoSecrets(Template template, string text)
    {
        foreach (var db in template.OfType<Platform.Infra.Aws.Rds.Instance>())
        {
            Assert.Null(db.Prop("password"));
            Assert.Null(db.Prop("passwordWo"));
        }
        // No property (at any depth) is a password; the only "Password" in a template is manageMasterUserPassword.
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"^\s*(password|passwordWo|masterPassword|masterUserPassword):", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.IgnoreCase), text);
        Assert.DoesNotContain("secretString", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aws:secretsmanager/secretVersion", text, StringComparison.Ordinal);
        // Every secret a container gets is a reference to the RDS-managed secret's ARN, never a value.
        foreach (var task in template.OfType<Platform.Infra.Aws.Ecs.TaskDefinition>())
        {
            var containers = (ListValue)TemplateQuery.At(task.Prop("containerDefinitions"), "fn::toJSON")!;
            foreach (var container in containers.Items.Cast<MapValue>())
            {
                if (container["secrets"] is not ListValue secrets) continue;
                Assert.All(secrets.Items.Cast<MapValue>(), s => Assert.IsType<InterpolationValue>(s["valueFrom"]));
            }
        }
    }

    [Fact]
    public void Every_role_is_least_privilege_with_star_only_where_aws_requires_it()
    {
        var template = Stack();
        var evaluator = Evaluate(template);
        // The only statements AWS forces onto Resource "*": ecr:GetAuthorizationToken (no resource-level permissions).
        string[] starAllowed = ["ecr:GetAuthorizationToken"];
        var policies = template.OfType<RolePolicy>().ToList();
        Assert.NotEmpty(policies);
        foreach (var policy in policies)
            foreach (var statement in evaluator.Json(policy.Prop("policy")!).GetProperty("Statement").EnumerateArray())
            {
                var actions = statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToList();
                Assert.All(actions, a => Assert.DoesNotContain('*', a));
                var resources = statement.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()!).ToList();
                if (resources.Contains("*"))
                    Assert.Equal(starAllowed, actions);
            }
        Assert.Empty(template.OfType<RolePolicyAttachment>());

        var execution = evaluator.Json(template.Get("api-app-execution-policy").Prop("policy")!).GetProperty("Statement").EnumerateArray()
            .ToDictionary(s => s.GetProperty("Sid").GetString()!, s => (
                Actions: string.Join(",", s.GetProperty("Action").EnumerateArray().Select(a => a.GetString())),
                Resources: string.Join(",", s.GetProperty("Resource").EnumerateArray().Select(a => a.GetString()))));
        Assert.Equal(new Dictionary<string, (string, string)>
        {
            ["PullImage"] = ("ecr:BatchCheckLayerAvailability,ecr:BatchGetImage,ecr:GetDownloadUrlForLayer", "arn:fake:api-app-repo/arn"),
            ["RegistryLogin"] = ("ecr:GetAuthorizationToken", "*"),
            ["WriteLogs"] = ("logs:CreateLogStream,logs:PutLogEvents", "arn:fake:api-app-logs/arn:log-stream:*"),
        }, execution);

        // Only the database users task may read the master secret, through its own execution role.
        var readers = template.OfType<RolePolicy>().Where(p => JsonSerializer.Serialize(evaluator.Json(p.Prop("policy")!)).Contains("secretsmanager", StringComparison.Ordinal));
        Assert.Equal(["database-users-execution-policy"], readers.Select(p => p.LogicalName));

        var trust = Assert.Single(evaluator.Json(template.Get("api-app-task-role").Prop("assumeRolePolicy")!).GetProperty("Statement").EnumerateArray());
        Assert.Equal("ecs-tasks.amazonaws.com", trust.GetProperty("Principal").GetProperty("Service")[0].GetString());
        Assert.Equal("111111111111", trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount")[0].GetString());
    }

    [Fact]
    public void The_task_role_holds_the_grants_of_the_stores_the_service_owns_and_nothing_else()
    {
        var template = Stack();
        var evaluator = Evaluate(template);
        var statements = evaluator.Json(template.Get("api-app-task-policy").Prop("policy")!).GetProperty("Statement").EnumerateArray().ToList();
        var resources = statements.Where(s => s.GetProperty("Sid").GetString() != "ConnectToDatabase")
            .SelectMany(s => s.GetProperty("Resource").EnumerateArray()).Select(r => r.GetString()!).Distinct().ToList();
        Assert.Contains("arn:fake:api-files-bucket/arn", resources);
        Assert.All(resources, r => Assert.True(r.StartsWith("arn:fake:api-files-", StringComparison.Ordinal), r));
        Assert.Contains(statements.SelectMany(s => s.GetProperty("Action").EnumerateArray()), a => a.GetString() == "s3:PutObject");
        Assert.Equal("${api-app-task-role.id}", template.Get("api-app-task-policy").Text("role"));
        var worker = evaluator.Json(template.Get("worker-app-task-policy").Prop("policy")!).GetProperty("Statement").EnumerateArray()
            .SelectMany(s => s.GetProperty("Resource").EnumerateArray()).Select(r => r.GetString()!).ToList();
        Assert.All(worker, r => Assert.True(r.StartsWith("arn:fake:worker-transient-", StringComparison.Ordinal), r));
    }
}
