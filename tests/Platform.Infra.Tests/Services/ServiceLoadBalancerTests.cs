using Platform.Infra.Aws.Vpc;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Support.TestStacks;
using static Platform.Infra.Tests.ServiceStacks;

namespace Platform.Infra.Tests;

/// <summary>Container services: the public ALB, its listeners (TLS or plain HTTP) and its access logs.</summary>
public class ServiceLoadBalancerTests
{
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
        Assert.Equal("https://${api-app-alb.dnsName}", template.Outputs[StackOutputs.Url("api")] is InterpolationValue j ? j.Render() : null);
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
        Assert.Equal("http://${worker-app-alb.dnsName}", template.Outputs[StackOutputs.Url("worker")] is InterpolationValue i ? i.Render() : null);
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
}
