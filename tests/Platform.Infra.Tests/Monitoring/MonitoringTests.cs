using System.Text.Json;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Rds;
using Platform.Infra.Aws.Sns;
using Platform.Infra.Components;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>The monitoring component: topic and key wiring, alarms per watched resource, objectives, dashboard.</summary>
public class MonitoringTests
{
    private static Template Stack(Action<Dictionary<string, string>>? change = null) => ServiceStacks.Stack(change);

    private static IEnumerable<Resource> Alarms(Template t) => t.Resources.Where(r => r.TypeToken is MetricAlarm.PulumiType or CompositeAlarm.PulumiType);

    [Fact]
    public void Every_alarm_that_notifies_reaches_the_stack_topic_in_its_region_and_the_parts_of_composites_notify_through_them()
    {
        var t = Stack();
        var composites = t.OfType<CompositeAlarm>().ToList();
        var parts = composites.SelectMany(c => ((InterpolationValue)c.Prop("alarmRule")!).Parts.OfType<ReferenceValue>().Select(r => r.Resource)).ToHashSet();
        Assert.NotEmpty(parts);
        foreach (var alarm in Alarms(t))
        {
            var region = alarm.Text("region");
            var topic = region == Monitoring.CloudFrontRegion ? "${monitoring-edge-alarms.arn}" : "${monitoring-alarms.arn}";
            if (parts.Contains(alarm.LogicalName)) Assert.Null(alarm.Prop("alarmActions"));
            else Assert.Equal([topic], ServiceStacks.Refs(alarm.Prop("alarmActions")).Select(r => "${" + r + "}"));
        }
        Assert.All(t.OfType<MetricAlarm>().Where(a => a.LogicalName.Contains("cdn")), a => Assert.Equal("us-east-1", a.Text("region")));
    }

    [Fact]
    public void The_topic_key_admits_cloudwatch_for_this_stacks_alarms_and_rds_events_and_the_topic_policy_lets_them_publish()
    {
        var t = Stack();
        var eval = ServiceStacks.Evaluate(t);
        Assert.Equal("${monitoring-alarms-key.arn}", t.Get("monitoring-alarms").Text("kmsMasterKeyId"));
        var key = eval.Json(t.Get("monitoring-alarms-key").Prop("policy")!);
        var cloudwatch = key.GetProperty("Statement").EnumerateArray().Single(s => s.GetProperty("Sid").GetString() == "CloudWatchAlarmsPublishEncrypted");
        Assert.Equal("cloudwatch.amazonaws.com", cloudwatch.GetProperty("Principal").GetProperty("Service")[0].GetString());
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey*"], cloudwatch.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("arn:aws:cloudwatch:eu-west-1:111111111111:alarm:platform-test-*", cloudwatch.GetProperty("Condition").GetProperty("ArnLike").GetProperty("aws:SourceArn")[0].GetString());
        Assert.Contains(key.GetProperty("Statement").EnumerateArray(), s => s.GetProperty("Principal").TryGetProperty("Service", out var service) && service[0].GetString() == "events.rds.amazonaws.com");

        var policy = eval.Json(t.Get("monitoring-alarms-policy").Prop("policy")!);
        var publishers = policy.GetProperty("Statement").EnumerateArray()
            .Where(s => s.GetProperty("Action")[0].GetString() == "sns:Publish" && s.GetProperty("Resource")[0].GetString() == "arn:fake:monitoring-alarms/arn")
            .Select(s => s.GetProperty("Principal").GetProperty("Service")[0].GetString()).ToList();
        Assert.Equal(["cloudwatch.amazonaws.com", "events.rds.amazonaws.com"], publishers);
        // Every alarm name matches the pattern the key and topic admit.
        Assert.All(Alarms(t), a => Assert.StartsWith("platform-test-", a.Text(a is CompositeAlarm ? "alarmName" : "name")));
    }

    [Fact]
    public void Alarms_exist_only_for_what_the_stack_has()
    {
        var bare = TestStacks.Template();
        Assert.DoesNotContain(Alarms(bare), a => a.LogicalName.Contains("alb") || a.LogicalName.Contains("database") || a.LogicalName.Contains("cdn"));
        Assert.Contains(Alarms(bare), a => a.LogicalName == "monitoring-nat-az1-port-allocation");
        Assert.Empty(bare.OfType<EventSubscription>());

        var full = Stack();
        Assert.Contains(Alarms(full), a => a.LogicalName == "monitoring-api-alb-5xx");
        Assert.Contains(Alarms(full), a => a.LogicalName == "monitoring-api-ecs-memory");
        Assert.Contains(Alarms(full), a => a.LogicalName == "monitoring-web-site-cdn-5xx");
        Assert.Contains(Alarms(full), a => a.LogicalName == "monitoring-database-free-storage");
    }

    [Fact]
    public void A_service_without_an_image_has_load_balancer_alarms_but_no_ecs_alarms()
    {
        var t = Stack(c => c[ServiceSettings.Key] = ServiceStacks.Services.Replace("\"image\": \"1.2.3\", ", ""));
        Assert.NotNull(t.Find("monitoring-api-alb-unhealthy"));
        Assert.Null(t.Find("monitoring-api-ecs-cpu"));
    }

    [Fact]
    public void Rds_events_of_the_instance_parameter_groups_and_security_groups_go_to_the_topic()
    {
        var subs = Stack().OfType<EventSubscription>().ToDictionary(s => s.Text("sourceType")!);
        Assert.Equal(["failure", "maintenance", "configuration change"], ((ListValue)subs["db-instance"].Prop("eventCategories")!).Items.Select(i => ((StringValue)i).Text));
        Assert.Equal(["configuration change"], ((ListValue)subs["db-parameter-group"].Prop("eventCategories")!).Items.Select(i => ((StringValue)i).Text));
        Assert.True(subs.ContainsKey("db-security-group"));
        Assert.All(subs.Values, s => Assert.Equal("${monitoring-alarms.arn}", s.Text("snsTopic")));
    }

    [Fact]
    public void Dev_alerts_quietly_and_a_threshold_override_wins()
    {
        double Threshold(Template t, string alarm) => ((NumberValue)t.Get(alarm).Prop("threshold")!).Number;
        Assert.Equal(90, Threshold(Stack(), "monitoring-api-ecs-cpu"));
        var standard = Stack(c => c[MonitoringSettings.Key] = """{"preset":"standard","thresholds":{"rdsFreeStorageGb":10}}""");
        Assert.Equal(80, Threshold(standard, "monitoring-api-ecs-cpu"));
        Assert.Equal(10.0 * 1024 * 1024 * 1024, Threshold(standard, "monitoring-database-free-storage"));
    }

    [Fact]
    public void The_fast_burn_alarm_pages_when_one_hour_and_five_minutes_both_burn_the_budget_14_4_times()
    {
        var t = Stack(c => c[MonitoringSettings.Key] = """{"objectives":{"api":{"availability":99.9,"latency":{"percent":99,"thresholdSeconds":0.3}}}}""");
        var composite = t.Get("monitoring-api-slo-availability-fast");
        Assert.Equal("ALARM(\"${monitoring-api-slo-availability-fast-long.arn}\") AND ALARM(\"${monitoring-api-slo-availability-fast-short.arn}\")",
            ((InterpolationValue)composite.Prop("alarmRule")!).Render());
        Assert.Equal("${monitoring-alarms.arn}", ServiceStacks.Refs(composite.Prop("alarmActions")).Select(r => "${" + r + "}").Single());

        var longWindow = t.Get("monitoring-api-slo-availability-fast-long");
        Assert.Equal(0.0144, ((NumberValue)longWindow.Prop("threshold")!).Number, 9);
        var queries = ((ListValue)longWindow.Prop("metricQueries")!).Items.Cast<MapValue>().ToList();
        Assert.Single(queries, q => q["returnData"] is BoolValue { Flag: true });
        Assert.Equal("FILL(m1, 0) / m2", ((StringValue)queries.Single(q => q["expression"] is not null)["expression"]!).Text);
        Assert.All(queries.Where(q => q["metric"] is not null), q => Assert.Equal(3600, ((NumberValue)((MapValue)q["metric"]!)["period"]!).Number));
        Assert.Equal(300, ((NumberValue)((MapValue)((MapValue)((ListValue)t.Get("monitoring-api-slo-availability-fast-short").Prop("metricQueries")!).Items[0])["metric"]!)["period"]!).Number);

        var latency = (MapValue)((ListValue)t.Get("monitoring-api-slo-latency-slow-long").Prop("metricQueries")!).Items[0];
        Assert.Equal("PR(:0.3)", ((StringValue)((MapValue)latency["metric"]!)["stat"]!).Text);
        Assert.Equal(0.06, ((NumberValue)t.Get("monitoring-api-slo-latency-slow-long").Prop("threshold")!).Number, 9);
    }

    [Fact]
    public void The_dashboard_graphs_each_service_with_its_real_alb_dimensions()
    {
        var t = Stack();
        var body = ServiceStacks.Evaluate(t).Json(t.Get("monitoring-dashboard").Prop("dashboardBody")!);
        var api = body.GetProperty("widgets").EnumerateArray().Single(w => w.GetProperty("properties").GetProperty("title").GetString() == "api: traffic and errors");
        var line = api.GetProperty("properties").GetProperty("metrics")[0].EnumerateArray().Take(6).Select(e => e.GetString()).ToList();
        Assert.Equal(["AWS/ApplicationELB", "RequestCount", "LoadBalancer", "arn:fake:api-app-alb/arnSuffix", "TargetGroup", "arn:fake:api-app-tg/arnSuffix"], line);
        var cdn = body.GetProperty("widgets").EnumerateArray().Single(w => w.GetProperty("properties").GetProperty("title").GetString()!.StartsWith("web-site", StringComparison.Ordinal));
        Assert.Equal("us-east-1", cdn.GetProperty("properties").GetProperty("region").GetString());
    }

    [Fact]
    public void Queues_and_functions_handed_to_monitoring_get_their_alarms_and_graphs()
    {
        var template = new Template();
        var stack = new StackContext("platform", "test", template);
        var settings = StackSettings.Load("platform", "test", TestStacks.Config());
        var network = Network.Create(stack, settings, LogGroups.Create(stack, settings));
        Monitoring.Create(stack, settings, new MonitoredResources(network, null)
        {
            Queues = [new QueueWatch("ingest", PolicyStatement.Literal("platform-test-ingest"), PolicyStatement.Literal("platform-test-ingest-dlq"))],
            Functions = [new FunctionWatch("ingest-fn", PolicyStatement.Literal("platform-test-ingest"), 60)],
        });
        var age = template.Get("monitoring-ingest-queue-age");
        Assert.Equal("ApproximateAgeOfOldestMessage", age.Text("metricName"));
        Assert.Equal("platform-test-ingest", age.Text("dimensions.QueueName"));
        Assert.Equal("platform-test-ingest-dlq", template.Get("monitoring-ingest-dlq-depth").Text("dimensions.QueueName"));
        Assert.Equal("0", template.Get("monitoring-ingest-dlq-depth").Text("threshold"));
        // Quiet (disposable data): p99 duration above 90 % of the 60 s timeout.
        Assert.Equal("54000", template.Get("monitoring-ingest-fn-duration").Text("threshold"));
        Assert.Equal("p99", template.Get("monitoring-ingest-fn-duration").Text("extendedStatistic"));
        Assert.NotNull(template.Find("monitoring-ingest-fn-throttles"));
    }

    [Fact]
    public void An_https_subscription_reaches_the_template_only_as_a_secret_config_reference()
    {
        const string url = "https://hooks.example.com/services/T000/B000/abcdefSECRET";
        var result = TestStacks.Compile(TestStacks.Config(c =>
        {
            c["platform:alarmWebhook"] = url;
            c[MonitoringSettings.Key] = """{"subscriptions":[{"protocol":"https","endpointFrom":"alarmWebhook"},{"protocol":"email","endpoint":"oncall@example.com"}]}""";
        }));
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.DoesNotContain("abcdefSECRET", result.Text);
        Assert.True(result.Template!.Config["alarmWebhook"].Secret);
        var https = result.Template.OfType<TopicSubscription>().Single(s => s.Text("protocol") == "https");
        Assert.Equal(new ConfigValue("alarmWebhook"), https.Prop("endpoint"));
        Assert.Equal("oncall@example.com", result.Template.OfType<TopicSubscription>().Single(s => s.Text("protocol") == "email").Text("endpoint"));
    }
}
