using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary><c>platform:monitoring</c>: bad input is refused with the key and a fix, every problem at once.</summary>
public class MonitoringSettingsTests
{
    private static IReadOnlyList<ConfigProblem> Problems(string monitoring, Action<Dictionary<string, string>>? more = null) => TestStacks.Problems(c =>
    {
        c[ServiceSettings.Key] = ServiceStacks.Services;
        c[DatabaseSettings.Key] = DatabaseTests.Postgres;
        c[MonitoringSettings.Key] = monitoring;
        more?.Invoke(c);
    });

    [Fact]
    public void Every_bad_value_is_reported_at_once_with_its_key_and_fix()
    {
        const string url = "https://hooks.example.com/services/T000/B000/plainTOKEN";
        var problems = Problems("""
            {"thresholds": {"albTarget5xxPercent": 500, "ecsCpuPercent": "high"},
             "objectives": {"api": {"availability": 100, "latency": {"percent": 0}}},
             "subscriptions": [{"protocol": "pager", "endpoint": "x"}, {"protocol": "https", "endpoint": "URL"}, {"protocol": "sms", "endpoint": "+4912345"}]}
            """.Replace("URL", url, StringComparison.Ordinal));
        var byKey = problems.ToDictionary(p => p.Key);
        Assert.Contains("500 is out of range: must be from 0.1 to 100", byKey["platform:monitoring.thresholds.albTarget5xxPercent"].Problem);
        Assert.Contains("--path 'platform:monitoring.thresholds.albTarget5xxPercent' 100", byKey["platform:monitoring.thresholds.albTarget5xxPercent"].Fix);
        Assert.Contains("must be a number", byKey["platform:monitoring.thresholds.ecsCpuPercent"].Problem);
        Assert.Contains("not an objective in (0, 100)", byKey["platform:monitoring.objectives.api.availability"].Problem);
        Assert.Contains("not an objective in (0, 100)", byKey["platform:monitoring.objectives.api.latency.percent"].Problem);
        Assert.Contains("not a protocol SNS supports", byKey["platform:monitoring.subscriptions[0].protocol"].Problem);
        Assert.Contains("pulumi config set --secret alarmWebhook", byKey["platform:monitoring.subscriptions[1].endpoint"].Fix);
        Assert.Contains("does not subscribe", byKey["platform:monitoring.subscriptions[2].protocol"].Problem);
        Assert.DoesNotContain(problems, p => p.Problem.Contains("plainTOKEN") || p.Fix.Contains("plainTOKEN"));
    }

    [Fact]
    public void An_https_subscription_needs_its_secret_set_to_an_https_url()
    {
        var missing = Problems("""{"subscriptions": [{"protocol": "https", "endpointFrom": "alarmWebhook"}]}""");
        Assert.Equal("platform:alarmWebhook", Assert.Single(missing).Key);
        Assert.Contains("pulumi config set --secret alarmWebhook", missing[0].Fix);

        var plain = Problems("""{"subscriptions": [{"protocol": "https", "endpointFrom": "alarmWebhook"}]}""", c => c["platform:alarmWebhook"] = "http://hooks.example.com/x?token=abc123");
        Assert.Contains("not an https:// URL", Assert.Single(plain).Problem);
        Assert.DoesNotContain("abc123", plain[0].Problem + plain[0].Fix);
    }

    [Fact]
    public void Objectives_name_only_services_with_a_container()
    {
        var problem = Assert.Single(Problems("""{"objectives": {"web": {"availability": 99}}}"""));
        Assert.Equal("platform:monitoring.objectives.web", problem.Key);
        Assert.Contains("api, worker", problem.Fix);
    }

    [Fact]
    public void A_misspelt_threshold_gets_a_suggestion()
    {
        var problem = Assert.Single(Problems("""{"thresholds": {"rdsCpuPercnt": 70}}"""));
        Assert.Equal("platform:monitoring.thresholds.rdsCpuPercnt", problem.Key);
        Assert.Contains("rdsCpuPercent", problem.Fix);
    }

    [Fact]
    public void Docs_list_every_threshold_with_its_range_and_defaults()
    {
        var docs = File.ReadAllText(Path.Combine(TestStacks.RepoRoot, "docs", "configuration.md"));
        static string N(double d) => d.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(AlarmThreshold.All, t =>
            Assert.Contains($"| `{t.Key}` | {t.Unit} | {N(t.Min)}–{N(t.Max)} | {N(t.Standard)} | {N(t.Quiet)} | {t.What} |", docs));
    }
}
