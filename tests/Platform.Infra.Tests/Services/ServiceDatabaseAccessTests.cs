using System.Text.Json;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.ServiceStacks;

namespace Platform.Infra.Tests;

/// <summary>Container services that use the database: their own IAM-authenticated users, created by the users task.</summary>
public class ServiceDatabaseAccessTests
{
    [Fact]
    public void The_container_logs_in_to_the_database_as_its_own_user_with_iam_and_never_sees_a_password()
    {
        var template = Stack();
        var evaluator = Evaluate(template);
        var container = Assert.Single(evaluator.Json(template.Get("api-app-task").Prop("containerDefinitions")!).EnumerateArray());
        // No password reaches the task: a rotation of the master secret cannot break running tasks.
        Assert.False(container.TryGetProperty("secrets", out _));
        var environment = container.GetProperty("environment").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString()!);
        Assert.Equal(new Dictionary<string, string>
        {
            ["DB_AUTH"] = "iam",
            ["DB_ENGINE"] = "postgres",
            ["DB_HOST"] = "arn:fake:database-instance/address",
            ["DB_NAME"] = "app",
            ["DB_PORT"] = "5432",
            ["DB_REGION"] = "eu-west-1",
            ["DB_USERNAME"] = "api",
            ["LOG_LEVEL"] = "info",
        }, environment);

        // The task role may connect as that user of this instance, and as nobody else.
        var statements = evaluator.Json(template.Get("api-app-task-policy").Prop("policy")!).GetProperty("Statement").EnumerateArray();
        var connect = Assert.Single(statements, st => st.GetProperty("Action")[0].GetString() == "rds-db:connect");
        Assert.Equal(["arn:aws:rds-db:eu-west-1:111111111111:dbuser:arn:fake:database-instance/resourceId/api"],
            connect.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));

        var worker = Assert.Single(evaluator.Json(template.Get("worker-app-task").Prop("containerDefinitions")!).EnumerateArray());
        Assert.DoesNotContain(worker.GetProperty("environment").EnumerateArray(), e => e.GetProperty("name").GetString()!.StartsWith("DB_", StringComparison.Ordinal));
        Assert.DoesNotContain("rds-db", JsonSerializer.Serialize(evaluator.Json(template.Get("worker-app-task-policy").Prop("policy")!)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_users_task_creates_one_iam_user_per_service_logging_in_as_master_from_the_secret()
    {
        var template = Stack(c => c[ServiceSettings.Key] = Services.Replace("\"container\": {\"image\": \"sha256", "\"usesDatabase\": true, \"container\": {\"image\": \"sha256", StringComparison.Ordinal));
        var evaluator = Evaluate(template);
        var container = Assert.Single(evaluator.Json(template.Get("database-users-task").Prop("containerDefinitions")!).EnumerateArray());
        Assert.Equal("public.ecr.aws/docker/library/postgres:16-alpine", container.GetProperty("image").GetString());
        Assert.Equal("65534", container.GetProperty("user").GetString());
        Assert.True(container.GetProperty("readonlyRootFilesystem").GetBoolean());
        var script = container.GetProperty("command")[0].GetString()!;
        foreach (var user in new[] { "api", "worker" })
        {
            Assert.Contains($"CREATE ROLE {user} LOGIN;", script);
            Assert.Contains($"GRANT rds_iam TO {user};", script);
        }
        var secrets = container.GetProperty("secrets").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("valueFrom").GetString()!);
        Assert.Equal("arn:fake:database-instance/masterUserSecrets[0].secretArn:password::", secrets["PGPASSWORD"]);
        Assert.Equal("arn:fake:database-instance/masterUserSecrets[0].secretArn:username::", secrets["PGUSER"]);

        var command = template.Outputs[StackOutputs.DatabaseUsersCommand];
        var text = Assert.IsType<InterpolationValue>(command).Render();
        Assert.StartsWith("aws ecs run-task --cluster ${ecs-cluster.name} --task-definition ${database-users-task.family} --launch-type FARGATE", text);
        Assert.Contains("--network-configuration 'awsvpcConfiguration={subnets=[${network-private-az1.id},${network-private-az2.id}],", text);
        Assert.Contains("securityGroups=[${database-users-sg.id}]", text);
    }

    [Fact]
    public void The_mysql_users_are_created_with_the_aws_authentication_plugin_over_tls()
    {
        var sql = Platform.Infra.Components.DatabaseUsers.Sql(
            DatabaseSettings.Discovery with { Engine = DatabaseEngine.MySql, Version = "8.4" }, ["api"]);
        Assert.Contains("CREATE USER IF NOT EXISTS 'api'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;", sql);
        Assert.Contains("GRANT ALL PRIVILEGES ON `app`.* TO 'api'@'%';", sql);
    }
}
