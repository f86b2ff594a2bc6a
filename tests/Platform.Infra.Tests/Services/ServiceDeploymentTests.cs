using Moq;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.ServiceStacks;

namespace Platform.Infra.Tests;

/// <summary>Container services: the task, the ECS service, the image repository, names and outputs.</summary>
public class ServiceDeploymentTests
{
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
        Assert.Equal("${api-app-repo.repositoryUrl}", ((ReferenceValue)template.Outputs[StackOutputs.RepositoryUrl("api")]) is var r ? "${" + r.Expression + "}" : null);
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
        Assert.Equal(new ReferenceValue("api-app-alb", "dnsName"), outputs[StackOutputs.AlbDnsName("api")]);
        Assert.Equal(new ReferenceValue("api-app-repo", "repositoryUrl"), outputs[StackOutputs.RepositoryUrl("api")]);
        Assert.True(outputs.ContainsKey(StackOutputs.DatabaseSecretArn));
        Assert.Equal(new ReferenceValue("worker-app-alb", "dnsName"), outputs[StackOutputs.AlbDnsName("worker")]);
    }
}
