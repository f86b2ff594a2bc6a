using System.Text.Json;
using Moq;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.Vpc;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Support.TestStacks;

namespace Platform.Infra.Tests;

/// <summary>Container services (ECS Fargate + ALB + ECR + autoscaling) and their settings.</summary>
public class ServiceTests
{
    private const string Certificate = "arn:aws:acm:eu-west-1:111111111111:certificate/0f0e0d0c-0000-1111-2222-333333333333";

    /// <summary>
    /// An API that uses the database, a worker that does not, and a static site (its CloudFront logs are why the
    /// stack log bucket keeps ACLs, which S3.12 exempts only then).
    /// </summary>
    internal static readonly string Services = $$$"""
        {
          "web": {"dataClassification": "public", "stores": [{"kind": "staticSite"}]},
          "api": {"dataClassification": "confidential", "stores": [{"kind": "secureStore", "name": "files"}], "usesDatabase": true,
                  "container": {"image": "1.2.3", "port": 8080, "cpu": 512, "memory": 1024, "desiredCount": 2, "minCount": 2, "maxCount": 6,
                                "healthPath": "/healthz", "environment": {"LOG_LEVEL": "info"}, "certificateArn": "{{{Certificate}}}"}},
          "worker": {"dataClassification": "internal", "stores": [{"kind": "transientStore"}],
                     "container": {"image": "sha256:2f0e5c1d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d", "port": 9000, "certificateArn": "{{{Certificate}}}", "minCount": 2}}
        }
        """;

    private static Template Stack(Action<Dictionary<string, string>>? change = null) => TestStacks.Template(c =>
    {
        c[DatabaseSettings.Key] = DatabaseTests.Postgres;
        c[ServiceSettings.Key] = Services;
        change?.Invoke(c);
    });

    /// <summary>Fake deployed outputs: every ARN-like output is <c>arn:fake:&lt;resource&gt;/&lt;path&gt;</c>.</summary>
    private static Evaluator Evaluate(Template template)
    {
        var outputs = new Mock<IDeployedOutputs>();
        outputs.Setup(o => o.Get(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>()))
            .Returns((string resource, string _, string path) => $"arn:fake:{resource}/{path}");
        return new Evaluator(template, outputs.Object);
    }

    private static string? Ref(Value? value) => value switch
    {
        ReferenceValue r => r.Expression,
        null => null,
        _ => throw new Xunit.Sdk.XunitException($"{value} is not a reference"),
    };

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

    private static List<string?> Refs(Value? list) => ((ListValue)list!).Items.Select(Ref).ToList();

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
    public void The_container_is_non_root_read_only_logged_health_checked_and_pinned_to_its_tag()
    {
        var template = Stack();
        var container = Assert.Single(Evaluate(template).Json(template.Get("api-app-task").Prop("containerDefinitions")!).EnumerateArray());
        Assert.Equal("arn:fake:api-app-repo/repositoryUrl:1.2.3", container.GetProperty("image").GetString());
        var worker = Assert.Single(Evaluate(template).Json(template.Get("worker-app-task").Prop("containerDefinitions")!).EnumerateArray());
        Assert.Equal("arn:fake:worker-app-repo/repositoryUrl@sha256:2f0e5c1d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d", worker.GetProperty("image").GetString());
        Assert.Equal("1000", container.GetProperty("user").GetString());
        Assert.False(container.GetProperty("privileged").GetBoolean());
        Assert.True(container.GetProperty("readonlyRootFilesystem").GetBoolean());
        Assert.Equal("awslogs", container.GetProperty("logConfiguration").GetProperty("logDriver").GetString());
        Assert.Equal("arn:fake:api-app-logs/name", container.GetProperty("logConfiguration").GetProperty("options").GetProperty("awslogs-group").GetString());
        Assert.Equal(8080, container.GetProperty("portMappings")[0].GetProperty("containerPort").GetInt32());
        Assert.Contains("http://localhost:8080/healthz", container.GetProperty("healthCheck").GetProperty("command")[1].GetString());

        var task = template.Get("api-app-task");
        Assert.Equal("512", task.Text("cpu"));
        Assert.Equal("1024", task.Text("memory"));
        Assert.Equal("awsvpc", task.Text("networkMode"));
        Assert.Equal("platform-test-api-app-task", task.Text("family"));
        Assert.NotEqual(task.Text("executionRoleArn"), task.Text("taskRoleArn"));
    }

    /// <summary>The first `pulumi up` into an empty account: the repository exists only after it, so no image can be named yet.</summary>
    [Fact]
    public void Without_an_image_the_first_deploy_creates_the_repository_and_load_balancer_but_nothing_that_waits_for_tasks()
    {
        var template = Stack(c => c[ServiceSettings.Key] = Services.Replace("\"image\": \"1.2.3\", ", "", StringComparison.Ordinal));
        foreach (var present in new[] { "api-app-repo", "api-app-alb", "api-app-tg", "api-app-https", "api-app-task-role", "api-app-task-sg", "database-ingress-api" })
            Assert.NotNull(template.Find(present));
        foreach (var absent in new[] { "api-app-task", "api-app-service", "api-app-scaling", "api-app-scale-cpu", "api-app-scale-requests" })
            Assert.Null(template.Find(absent));
        // Nothing in the template waits for tasks to become healthy, so nothing can wait on an image that cannot exist.
        Assert.DoesNotContain(template.Resources, r => r.LogicalName.StartsWith("api-", StringComparison.Ordinal) && r.Prop("waitForSteadyState") is BoolValue { Flag: true });
        Assert.Equal("${api-app-repo.repositoryUrl}", ((ReferenceValue)template.Outputs["api-repositoryUrl"]) is var r ? "${" + r.Expression + "}" : null);
        // The worker, which names its image, still runs.
        Assert.NotNull(template.Find("worker-app-service"));
    }

    [Fact]
    public void Load_balancer_target_group_and_role_names_fit_aws_limits_even_for_long_stack_and_service_names()
    {
        var longName = "abcdefghijklmnopqrst";
        var result = TestStacks.Compile(TestStacks.Config(c =>
        {
            c[DatabaseSettings.Key] = DatabaseTests.Postgres;
            c[ServiceSettings.Key] = Services.Replace("\"worker\":", $"\"{longName}\":", StringComparison.Ordinal);
        }), stack: "abcdefghij");
        Assert.True(result.Succeeded, result.ErrorMessage);
        var template = result.Template!;
        var alb = template.Get($"{longName}-app-alb").Text("name")!;
        var tg = template.Get($"{longName}-app-tg").Text("name")!;
        Assert.InRange(alb.Length, 1, 32);
        Assert.InRange(tg.Length, 1, 32);
        Assert.Matches("^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$", alb);
        Assert.Matches("^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$", tg);
        Assert.All(template.OfType<Role>(), role => Assert.InRange(role.Text("name")!.Length, 1, 64));
        Assert.Equal("platform-test-api-app-alb", Stack().Get("api-app-alb").Text("name"));
    }

    /// <summary>
    /// The rollout file invites several stacks per account and region: every name AWS keeps unique per account and
    /// region (buckets globally) differs between two stacks of the same project in the same account.
    /// </summary>
    [Fact]
    public void Two_stacks_in_one_account_and_region_have_no_physical_name_in_common()
    {
        static HashSet<string> Names(string stack)
        {
            var result = TestStacks.Compile(TestStacks.Config(c =>
            {
                c[DatabaseSettings.Key] = DatabaseTests.Postgres;
                c[ServiceSettings.Key] = Services;
            }), stack);
            Assert.True(result.Succeeded, result.ErrorMessage);
            string[] named = ["name", "bucket", "identifier", "finalSnapshotIdentifier"];
            return result.Template!.Resources
                .SelectMany(r => named.Append(r.TypeToken == "aws:ecs/taskDefinition:TaskDefinition" ? "family" : "name").Select(p => (Resource: r, Value: r.Prop(p))))
                .Where(x => x.Value is StringValue or InterpolationValue)
                .Select(x => $"{x.Resource.TypeToken} {(x.Value is StringValue sv ? sv.Text : ((InterpolationValue)x.Value!).Render())}")
                .ToHashSet();
        }
        var blue = Names("blue");
        var green = Names("green");
        Assert.True(blue.Count > 20, string.Join("\n", blue));
        Assert.Empty(blue.Intersect(green));
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

        var command = template.Outputs["databaseUsersCommand"];
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
    public void The_service_runs_privately_rolls_back_failed_deployments_waits_for_steady_state_and_leaves_the_count_to_autoscaling()
    {
        var template = Stack();
        var service = template.Get("api-app-service");
        Assert.Equal("false", service.Text("networkConfiguration.assignPublicIp"));
        Assert.Equal(["network-private-az1.id", "network-private-az2.id"], Refs(service.Prop("networkConfiguration.subnets")));
        Assert.Equal("true", service.Text("deploymentCircuitBreaker.enable"));
        Assert.Equal("true", service.Text("deploymentCircuitBreaker.rollback"));
        Assert.Equal("100", service.Text("deploymentMinimumHealthyPercent"));
        Assert.Equal("200", service.Text("deploymentMaximumPercent"));
        Assert.Equal("60", service.Text("healthCheckGracePeriodSeconds"));
        Assert.Equal("true", service.Text("waitForSteadyState"));
        // The first tasks start at once: the listeners and both roles' policies come first.
        Assert.Equal(["api-app-execution-policy", "api-app-http", "api-app-https", "api-app-task-policy"], service.Options.DependsOn!.Select(r => r.LogicalName).Order());
        Assert.Equal("2", service.Text("desiredCount"));
        Assert.Equal("SERVICE", service.Text("propagateTags"));
        Assert.Equal("FARGATE", service.Text("launchType"));
        Assert.Equal(["desiredCount"], service.Options.IgnoreChanges);
        Assert.Equal("api-app-tg.arn", Ref(service.Prop("loadBalancers[0].targetGroupArn")));
        Assert.Equal("ecs-cluster.arn", Ref(service.Prop("cluster")));
        Assert.Equal("enabled", template.Get("ecs-cluster").Text("settings[0].value"));

        var scaling = template.Get("api-app-scaling");
        Assert.Equal("2", scaling.Text("minCapacity"));
        Assert.Equal("6", scaling.Text("maxCapacity"));
        Assert.Equal("service/${ecs-cluster.name}/${api-app-service.name}", scaling.Text("resourceId"));
        Assert.Equal("ECSServiceAverageCPUUtilization", template.Get("api-app-scale-cpu").Text("targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType"));
        var requests = template.Get("api-app-scale-requests");
        Assert.Equal("ALBRequestCountPerTarget", requests.Text("targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType"));
        Assert.Equal("${api-app-alb.arnSuffix}/${api-app-tg.arnSuffix}", requests.Text("targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel"));
        Assert.Equal("${api-app-scaling.resourceId}", requests.Text("resourceId"));
    }

    [Fact]
    public void With_a_certificate_the_alb_serves_tls_1_2_plus_and_redirects_http_to_https()
    {
        var template = Stack();
        var https = template.Get("api-app-https");
        Assert.Equal("HTTPS", https.Text("protocol"));
        Assert.Equal("443", https.Text("port"));
        Assert.Equal(Certificate, https.Text("certificateArn"));
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-2021-06", https.Text("sslPolicy"));
        Assert.Equal("forward", https.Text("defaultActions[0].type"));
        Assert.Equal("${api-app-tg.arn}", https.Text("defaultActions[0].targetGroupArn"));
        var http = template.Get("api-app-http");
        Assert.Equal("redirect", http.Text("defaultActions[0].type"));
        Assert.Equal("HTTPS", http.Text("defaultActions[0].redirect.protocol"));
        Assert.Equal("443", http.Text("defaultActions[0].redirect.port"));
        Assert.Equal("HTTP_301", http.Text("defaultActions[0].redirect.statusCode"));
        Assert.Equal("https://${api-app-alb.dnsName}", template.Outputs["api-url"] is InterpolationValue j ? j.Render() : null);
    }

    private static Dictionary<string, string> PlainHttpWorker(bool waived, bool keepsData = true) => Config(c =>
    {
        if (keepsData) c["platform:profile"] = """{"protect":false,"disposableData":false,"logRetentionDays":30}""";
        var services = Services.Replace($"\"port\": 9000, \"certificateArn\": \"{Certificate}\"", "\"port\": 9000", StringComparison.Ordinal);
        Assert.NotEqual(Services, services);
        c[ServiceSettings.Key] = services;
        c[DatabaseSettings.Key] = DatabaseTests.Postgres;
        if (waived)
            c["platform:waivers"] = """
                [{"control": "ELB.1", "resource": "worker-app-http", "reason": "internal worker, certificate requested (SEC-7)", "expires": "2099-12-31"},
                 {"control": "ELB.18", "resource": "worker-app-http", "reason": "internal worker, certificate requested (SEC-7)", "expires": "2099-12-31"}]
                """;
    });

    [Fact]
    public void Without_a_certificate_a_throw_away_stage_serves_plain_http_and_the_plan_reports_it()
    {
        var result = Compile(PlainHttpWorker(waived: false, keepsData: false));
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(["ELB.1", "ELB.18"], result.Policy!.Advisory.Where(f => f.Resource == "worker-app-http").Select(f => f.Control).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_a_certificate_a_stage_that_keeps_data_is_refused_until_plain_http_is_waived()
    {
        var refused = Compile(PlainHttpWorker(waived: false));
        Assert.False(refused.Succeeded);
        Assert.Contains("ELB.1 (medium, mandatory) worker-app-http", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("ELB.18 (medium, mandatory) worker-app-http", refused.ErrorMessage, StringComparison.Ordinal);

        var result = Compile(PlainHttpWorker(waived: true));
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(["ELB.1", "ELB.18"], result.Policy!.Waived.Where(w => w.Finding.Resource == "worker-app-http").Select(w => w.Finding.Control).Order(StringComparer.Ordinal));
        var template = result.Template!;
        Assert.Null(template.Find("worker-app-https"));
        var plain = template.Get("worker-app-http");
        Assert.Equal("HTTP", plain.Text("protocol"));
        Assert.Equal("forward", plain.Text("defaultActions[0].type"));
        Assert.Equal("${worker-app-tg.arn}", plain.Text("defaultActions[0].targetGroupArn"));
        Assert.Equal(["80"], template.OfType<SecurityGroupIngressRule>().Where(r => Ref(r.Prop("securityGroupId")) == "worker-app-alb-sg.id").Select(r => r.Text("fromPort")));
        Assert.Equal("http://${worker-app-alb.dnsName}", template.Outputs["worker-url"] is InterpolationValue i ? i.Render() : null);
    }

    [Fact]
    public void The_alb_is_public_drops_invalid_headers_and_is_deletion_protected_only_in_protected_stages()
    {
        var template = Stack();
        var alb = template.Get("api-app-alb");
        Assert.Equal("false", alb.Text("internal"));
        Assert.Equal(["network-public-az1.id", "network-public-az2.id"], Refs(alb.Prop("subnets")));
        Assert.Equal("true", alb.Text("dropInvalidHeaderFields"));
        Assert.Equal("defensive", alb.Text("desyncMitigationMode"));
        Assert.Equal("false", alb.Text("enableDeletionProtection"));
        Assert.Equal("true", Stack(c => c["platform:profile"] = """{"protect":true,"disposableData":false,"logRetentionDays":365}""").Get("api-app-alb").Text("enableDeletionProtection"));

        var tg = template.Get("api-app-tg");
        Assert.Equal("ip", tg.Text("targetType"));
        Assert.Equal("8080", tg.Text("port"));
        Assert.Equal("/healthz", tg.Text("healthCheck.path"));
        Assert.Equal("30", tg.Text("deregistrationDelay"));
    }

    [Fact]
    public void The_alb_writes_access_logs_to_the_stack_log_bucket_which_admits_elb_delivery_only_when_there_is_an_alb()
    {
        var template = Stack();
        var alb = template.Get("api-app-alb");
        Assert.Equal("${logs-access-bucket.bucket}", alb.Text("accessLogs.bucket"));
        Assert.Equal("alb/api", alb.Text("accessLogs.prefix"));
        Assert.Equal("true", alb.Text("accessLogs.enabled"));
        Assert.Contains(alb.Options.DependsOn!, r => r.LogicalName == "logs-access-policy");

        var policy = Evaluate(template).Json(template.Get("logs-access-policy").Prop("policy")!);
        var delivery = Assert.Single(policy.GetProperty("Statement").EnumerateArray(), s => s.TryGetProperty("Sid", out var sid) && sid.GetString() == "AllowAlbAccessLogs");
        Assert.Equal("arn:fake:elb-service-account/", delivery.GetProperty("Principal").GetProperty("AWS").GetString());
        Assert.Equal("logdelivery.elasticloadbalancing.amazonaws.com", delivery.GetProperty("Principal").GetProperty("Service")[0].GetString());
        Assert.Equal("s3:PutObject", Assert.Single(delivery.GetProperty("Action").EnumerateArray()).GetString());
        Assert.Equal("arn:fake:logs-access-bucket/arn/alb/*/AWSLogs/111111111111/*", Assert.Single(delivery.GetProperty("Resource").EnumerateArray()).GetString());

        var withoutContainers = TestStacks.Template(c => c[ServiceSettings.Key] = """{"web": {"dataClassification": "public", "stores": [{"kind": "staticSite"}]}}""");
        Assert.DoesNotContain("AllowAlbAccessLogs", TemplateWriter.Write(withoutContainers), StringComparison.Ordinal);
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

    [Fact]
    public void The_repository_scans_on_push_keeps_tags_immutable_encrypts_with_its_key_and_expires_old_images()
    {
        var template = Stack();
        var repo = template.Get("api-app-repo");
        Assert.Equal("platform/test/api", repo.Text("name"));
        Assert.Equal("IMMUTABLE", repo.Text("imageTagMutability"));
        Assert.Equal("true", repo.Text("imageScanningConfiguration.scanOnPush"));
        Assert.Equal("KMS", repo.Text("encryptionConfigurations[0].encryptionType"));
        Assert.Equal("${api-app-key.arn}", repo.Text("encryptionConfigurations[0].kmsKey"));
        var lifecycle = Evaluate(template).Json(template.Get("api-app-repo-lifecycle").Prop("policy")!);
        var rules = lifecycle.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal("untagged", rules[0].GetProperty("selection").GetProperty("tagStatus").GetString());
        Assert.Equal("imageCountMoreThan", rules[1].GetProperty("selection").GetProperty("countType").GetString());
        Assert.Equal(20, rules[1].GetProperty("selection").GetProperty("countNumber").GetInt32());
        Assert.Equal("30", template.Get("api-app-logs").Text("retentionInDays"));
    }

    [Fact]
    public void Stack_outputs_give_the_alb_url_and_repository_of_each_service()
    {
        var outputs = Stack().Outputs;
        Assert.Equal(new ReferenceValue("api-app-alb", "dnsName"), outputs["api-albDnsName"]);
        Assert.Equal(new ReferenceValue("api-app-repo", "repositoryUrl"), outputs["api-repositoryUrl"]);
        Assert.True(outputs.ContainsKey("databaseSecretArn"));
        Assert.Equal(new ReferenceValue("worker-app-alb", "dnsName"), outputs["worker-albDnsName"]);
    }

    private static string ServicesWith(string container, string extra = "") =>
        $$$"""{"web": {"dataClassification": "public", "stores": [{"kind": "staticSite"}]}, "api": {"dataClassification": "internal", "stores": [{"kind": "transientStore"}]{{{extra}}}, "container": {{{container}}}}}""";

    public static TheoryData<string, string, string, string> BadServices => new()
    {
        { ServicesWith("""{"image":"1","cpu":256,"memory":4096}"""), "", "platform:services.api.container.memory", "service 'api': 4096 MiB is not a Fargate memory size for 256 CPU units (allowed: 512, 1024, 2048)" },
        { ServicesWith("""{"image":"1","cpu":300,"memory":512}"""), "", "platform:services.api.container.cpu", "service 'api': 300 is not a Fargate CPU size" },
        { ServicesWith("""{"image":"1","cpu":1024,"memory":1024}"""), "", "platform:services.api.container.memory", "not a Fargate memory size for 1024 CPU units (allowed: 2048 to 8192 in steps of 1024)" },
        { ServicesWith("""{"image":"1","minCount":4,"maxCount":2}"""), "", "platform:services.api.container.minCount", "service 'api': minCount 4 is larger than maxCount 2" },
        { ServicesWith("""{"image":"1","minCount":2,"maxCount":4,"desiredCount":5}"""), "", "platform:services.api.container.desiredCount", "service 'api': desiredCount 5 is outside [minCount 2, maxCount 4]" },
        { ServicesWith("""{"image":"1","port":70000}"""), "", "platform:services.api.container.port", "70000 is out of range: must be from 1 to 65535" },
        { ServicesWith("""{"image":"1","port":0}"""), "", "platform:services.api.container.port", "0 is out of range: must be from 1 to 65535" },
        { ServicesWith("""{"image":"1"}""", ""","usesDatabase":true"""), "nodb", "platform:services.api.usesDatabase", "service 'api' uses the database, but the stack has none" },
        { ServicesWith("""{"image":"latest"}"""), "", "platform:services.api.container.image", "'latest' names no particular image" },
        { ServicesWith("""{"image":"sha256:abc"}"""), "", "platform:services.api.container.image", "'sha256:abc' is not an image digest" },
        { ServicesWith("""{"image":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1"}"""), "", "platform:services.api.container.image", "is neither an image digest" },
        { ServicesWith("""{"tag":"1.0.0"}"""), "", "platform:services.api.container.tag", "is not a known field" },
        { ServicesWith("""{"image":"1","healthPath":"health"}"""), "", "platform:services.api.container.healthPath", "is not an HTTP path" },
        { ServicesWith("""{"image":"1","user":"root"}"""), "", "platform:services.api.container.user", "is not a non-root user (ECS.4)" },
        { ServicesWith("""{"image":"1","repository":"platform/api"}"""), "", "platform:services.api.container.repository", "is not a known field" },
        { ServicesWith($$"""{"image":"1","certificateArn":"{{Certificate.Replace("eu-west-1", "us-east-1", StringComparison.Ordinal)}}"}"""), "", "platform:services.api.container.certificateArn", "an ALB only uses ACM certificates of its own region (eu-west-1)" },
        { ServicesWith("""{"image":"1","environment":{"DB_PASSWORD":"x"}}"""), "", "platform:services.api.container.environment.DB_PASSWORD", "looks like a secret" },
        { ServicesWith("""{"image":"1","cpus":512}"""), "", "platform:services.api.container.cpus", "is not a known field." },
        { """{"api": {"dataClassification": "internal", "stores": [{"kind": "transientStore"}], "usesDatabase": true}}""", "", "platform:services.api.usesDatabase", "service 'api' uses the database but runs no container" },
    };

    [Theory]
    [MemberData(nameof(BadServices))]
    public void Bad_service_settings_are_refused_naming_the_stack_service_and_key(string services, string database, string key, string problem)
    {
        var problems = Problems(c =>
        {
            c[ServiceSettings.Key] = services;
            if (database != "nodb") c[DatabaseSettings.Key] = DatabaseTests.Postgres;
        }, "stage");
        var found = Assert.Single(problems, p => p.Key == key);
        Assert.Contains(problem, found.Problem);
        Assert.False(string.IsNullOrWhiteSpace(found.Fix));
        Assert.StartsWith("error: stack 'stage'", new ConfigException("stage", problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_in_the_environment_are_refused_without_echoing_their_value()
    {
        var problems = Problems(c => c[ServiceSettings.Key] = ServicesWith("""{"image":"1","environment":{"AWS_SECRET_ACCESS_KEY":"wJalrXUtnFEMI-K7MDENG"}}"""));
        var problem = Assert.Single(problems, p => p.Key == "platform:services.api.container.environment.AWS_SECRET_ACCESS_KEY");
        Assert.Contains("ECS.8", problem.Problem);
        Assert.DoesNotContain("wJalrXUtnFEMI", new ConfigException("test", problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(256, 512)]
    [InlineData(512, 4096)]
    [InlineData(4096, 30720)]
    [InlineData(8192, 61440)]
    [InlineData(16384, 122880)]
    public void Every_fargate_combination_is_accepted(int cpu, int memory)
    {
        var template = TestStacks.Template(c => c[ServiceSettings.Key] = ServicesWith($$"""{"image":"1","cpu":{{cpu}},"memory":{{memory}},"certificateArn":"{{Certificate}}"}"""));
        Assert.Equal(memory.ToString(System.Globalization.CultureInfo.InvariantCulture), template.Get("api-app-task").Text("memory"));
    }
}
