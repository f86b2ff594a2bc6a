using Platform.Infra.Model;
using Platform.Infra.Policies;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Policies.PolicyBuilders;

namespace Platform.Infra.Tests.Policies;

public class WaiverTests
{
    private sealed class FixedClock(DateOnly day) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
    }

    private static Template PublicLogBucket()
    {
        var template = new Template();
        template.AddBucket("data", new BucketParts { LogTo = null, RestrictPublicBuckets = false });
        return template;
    }

    private static Waiver Waive(string control, string resource, string expires) =>
        new(control, resource, "Accepted by the security team, ticket SEC-42.", DateOnly.Parse(expires, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_valid_waiver_suppresses_the_finding_and_reports_it_as_waived()
    {
        var report = Run(PublicLogBucket(), Dev, [Waive("S3.8", "data", "2026-06-15"), Waive("S3.9", "data", "2026-12-31")]);
        Assert.DoesNotContain(report.Mandatory, f => f.Control == "S3.8");
        Assert.DoesNotContain(report.Advisory, f => f.Control == "S3.9");
        Assert.Equal(["S3.8", "S3.9"], report.Waived.Select(w => w.Finding.Control).Order(StringComparer.Ordinal));
        Assert.True(report.Passed);
        Assert.Empty(report.Stale);
    }

    [Fact]
    public void A_waiver_covers_only_its_own_resource()
    {
        var template = PublicLogBucket();
        template.AddBucket("other", new BucketParts { RestrictPublicBuckets = false });
        var report = Run(template, Prod, [Waive("S3.8", "data", "2026-12-31")]);
        Assert.Equal("other", Assert.Single(report.Mandatory, f => f.Control == "S3.8").Resource);
        Assert.False(report.Passed);
    }

    [Fact]
    public void An_expired_waiver_fails_even_though_it_matches()
    {
        // Today is 2026-06-15: a waiver is valid through its expiry date and fails from the day after.
        var report = Run(PublicLogBucket(), Prod, [Waive("S3.8", "data", "2026-06-14")]);
        Assert.False(report.Passed);
        Assert.Equal("S3.8", Assert.Single(report.Expired).Control);
        Assert.Contains(report.Mandatory, f => f.Control == "S3.8");
        Assert.Contains("the waiver expired on 2026-06-14", new PolicyException("prod", report).Message);
    }

    [Fact]
    public void A_waiver_whose_rule_no_longer_fires_is_stale()
    {
        var template = new Template();
        template.AddBucket("data");
        var report = Run(template, Dev, [Waive("S3.8", "data", "2026-12-31"), Waive("S3.5", "gone", "2026-12-31")]);
        Assert.True(report.Passed);
        Assert.Equal(["data", "gone"], report.Stale.Select(s => s.Waiver.Resource).Order(StringComparer.Ordinal));
        Assert.Contains("matches no finding", report.Stale[0].Format());
    }

    [Fact]
    public void Waivers_are_read_from_stack_config()
    {
        var result = TestStacks.Compile(TestStacks.Config(c => c[Waiver.Key] =
            """[{"control":"S3.9","resource":"network-vpc","reason":"Not a bucket: a stale waiver on purpose.","expires":"2099-01-31"}]"""));
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(new Waiver("S3.9", "network-vpc", "Not a bucket: a stale waiver on purpose.", new DateOnly(2099, 1, 31)), Assert.Single(result.Settings!.Waivers));
        Assert.Equal("network-vpc", Assert.Single(result.Policy!.Stale).Waiver.Resource);
    }

    [Fact]
    public void Bad_waivers_are_config_problems_named_by_key_with_a_fix()
    {
        var problems = TestStacks.Problems(c => c[Waiver.Key] = """
            [{"control":"S3.88","resource":"a","reason":"Accepted by security, SEC-1.","expires":"2026-12-31"},
             {"control":"S3.8","resource":"b","expires":"31/12/2026"},
             {"control":"S3.8","resource":"c","reason":"ok","expires":"2026-12-31","owner":"me"},
             "S3.8"]
            """);
        var byKey = problems.ToDictionary(p => p.Key, p => p);
        Assert.Contains("Did you mean 'S3.8'?", byKey["platform:waivers[0].control"].Problem);
        Assert.Contains("is required", byKey["platform:waivers[1].reason"].Problem);
        Assert.Contains("YYYY-MM-DD", byKey["platform:waivers[1].expires"].Problem);
        Assert.Contains("too short", byKey["platform:waivers[2].reason"].Problem);
        Assert.Contains("not a known field", byKey["platform:waivers[2].owner"].Problem);
        Assert.Contains("must be an object", byKey["platform:waivers[3]"].Problem);
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Fix)));
    }

    [Fact]
    public void Waivers_must_be_a_list()
    {
        var problem = Assert.Single(TestStacks.Problems(c => c[Waiver.Key] = """{"control":"S3.8"}"""));
        Assert.Equal("platform:waivers", problem.Key);
    }

    [Fact]
    public void The_compiler_uses_the_clock_it_is_given_for_expiry()
    {
        var config = TestStacks.Config(c => c[Waiver.Key] =
            """[{"control":"EC2.10","resource":"network-vpc","reason":"EC2 endpoint not needed by Fargate.","expires":"2026-06-15"}]""");
        var onTheDay = StackCompiler.Compile(new CompileRequest(TestStacks.Project, "test", config, Clock: new FixedClock(new DateOnly(2026, 6, 15))));
        Assert.True(onTheDay.Succeeded, onTheDay.ErrorMessage);
        Assert.Contains(onTheDay.Policy!.Waived, w => w.Finding.Control == "EC2.10");

        var dayAfter = StackCompiler.Compile(new CompileRequest(TestStacks.Project, "test", config, Clock: new FixedClock(new DateOnly(2026, 6, 16))));
        Assert.False(dayAfter.Succeeded);
        Assert.Null(dayAfter.Text);
        Assert.Null(dayAfter.Error);
        Assert.Contains("EC2.10 network-vpc: the waiver expired on 2026-06-15", dayAfter.ErrorMessage);
    }

    [Fact]
    public void The_pulumi_compiler_command_prints_policy_failures_on_stderr_exits_2_and_prints_nothing_on_stdout()
    {
        var config = TestStacks.Config(c => c[Waiver.Key] =
            """[{"control":"EC2.10","resource":"network-vpc","reason":"EC2 endpoint not needed by Fargate.","expires":"2020-01-31"}]""");
        var run = CompilerProcess.Start(CompilerProcess.PulumiEnvironment("dev", config));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("error: stack 'dev' breaks 1 mandatory security control; nothing was generated.", run.Stderr);
        Assert.Contains("EC2.10 network-vpc: the waiver expired on 2020-01-31", run.Stderr);
    }
}
