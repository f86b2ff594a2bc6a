using Platform.Infra.Settings;
using static Platform.Infra.Tests.Support.TestStacks;

namespace Platform.Infra.Tests;

public class ServiceSettingsTests
{
    private static IReadOnlyList<ConfigProblem> Refused(string services, string stack = "test") =>
        Problems(c => c["platform:services"] = services, stack);

    [Fact]
    public void A_bucket_name_longer_than_63_characters_is_refused_naming_service_and_key()
    {
        var problem = Assert.Single(Refused("""{"a-very-long-service":{"dataClassification":"internal","stores":[{"kind":"transientStore","name":"extremely-long-name"}]}}""", "a-long-stack-name"));
        Assert.Equal("platform:services.a-very-long-service.stores[0].name", problem.Key);
        Assert.Contains("platform-a-long-stack-name-a-very-long-service-extremely-long-name-111111111111", problem.Problem);
        Assert.Contains("characters long (3 to 63 allowed)", problem.Problem);
        var error = Compile(Config(c => c["platform:services"] = """{"a-very-long-service":{"dataClassification":"internal","stores":[{"kind":"transientStore","name":"extremely-long-name"}]}}"""), "a-long-stack-name").Error!;
        Assert.Contains("stack 'a-long-stack-name'", error.Message);
    }

    [Theory]
    [InlineData("xn--abc", "the prefix 'xn--' is reserved")]
    [InlineData("a..b", "two periods")]
    [InlineData("Upper", "only lower-case letters")]
    [InlineData("192.168.1.1", "IP address")]
    [InlineData("ab", "2 characters long")]
    [InlineData("-ab", "must start with a letter or digit")]
    [InlineData("x-s3alias", "the suffix '-s3alias' is reserved")]
    public void Bucket_name_rules(string name, string expected) =>
        Assert.Contains(BucketNames.Problems(name), p => p.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void A_valid_bucket_name_has_no_problem() => Assert.Empty(BucketNames.Problems("platform-prod-signatures-images-333333333333"));

    [Fact]
    public void Objects_deleted_before_their_glacier_transition_are_refused()
    {
        var problem = Assert.Single(Refused("""{"sig":{"dataClassification":"restricted","stores":[{"kind":"secureStore","archiveAfterDays":180,"expireAfterDays":100}]}}"""));
        Assert.Equal("platform:services.sig.stores[0].expireAfterDays", problem.Key);
        Assert.Contains("service 'sig'", problem.Problem);
        Assert.Contains("before or when they move to Glacier after 180 days", problem.Problem);
    }

    [Fact]
    public void Objects_deleted_sooner_than_glacier_s_90_day_minimum_are_refused()
    {
        var problems = Refused("""{"sig":{"dataClassification":"restricted","stores":[{"kind":"secureStore","archiveAfterDays":180,"expireAfterDays":200,"noncurrentArchiveAfterDays":30,"noncurrentExpireAfterDays":60}]}}""");
        Assert.Equal(["platform:services.sig.stores[0].expireAfterDays", "platform:services.sig.stores[0].noncurrentExpireAfterDays"], problems.Select(p => p.Key));
        Assert.Contains("20 days, less than Glacier's 90-day minimum", problems[0].Problem);
        Assert.Contains("at least 270", problems[0].Fix);
    }

    [Fact]
    public void A_certificate_outside_us_east_1_is_refused()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticSite","aliases":["app.example.com"],"certificateArn":"arn:aws:acm:eu-west-1:111111111111:certificate/abc"}]}}"""));
        Assert.Equal("platform:services.web.stores[0].certificateArn", problem.Key);
        Assert.Contains("service 'web': the certificate is in eu-west-1", problem.Problem);
        Assert.Contains("us-east-1", problem.Fix);
    }

    [Fact]
    public void Aliases_without_a_certificate_are_refused()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticSite","aliases":["app.example.com"]}]}}"""));
        Assert.Equal("platform:services.web.stores[0].aliases", problem.Key);
        Assert.Contains("need a certificate", problem.Problem);
    }

    [Fact]
    public void An_unknown_store_kind_is_refused_with_a_suggestion()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticsite"}]}}"""));
        Assert.Equal("platform:services.web.stores[0].kind", problem.Key);
        Assert.Contains("'staticsite' is not one of staticSite, secureStore, transientStore. Did you mean 'staticSite'?", problem.Problem);
    }

    [Fact]
    public void A_service_without_a_store_is_refused()
    {
        var problems = Refused("""{"web":{"dataClassification":"public"},"api":{"dataClassification":"internal","stores":[]}}""");
        Assert.Equal(["platform:services.web.stores", "platform:services.api.stores"], problems.Select(p => p.Key));
        Assert.Contains("service 'web' has no store", problems[0].Problem);
    }

    [Fact]
    public void Duplicate_service_names_are_refused()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticSite"}]},"web":{"dataClassification":"public","stores":[{"kind":"staticSite"}]}}"""));
        Assert.Equal("platform:services.web", problem.Key);
        Assert.Contains("declared twice", problem.Problem);
    }

    [Fact]
    public void Two_stores_of_a_service_with_the_same_name_are_refused()
    {
        var problem = Assert.Single(Refused("""{"web":{"dataClassification":"public","stores":[{"kind":"staticSite"},{"kind":"staticSite"}]}}"""));
        Assert.Equal("platform:services.web.stores[1].name", problem.Key);
    }

    [Fact]
    public void Hours_are_refused_in_favour_of_days()
    {
        var problem = Assert.Single(Refused("""{"docs":{"dataClassification":"internal","stores":[{"kind":"transientStore","expireAfterHours":48}]}}"""));
        Assert.Equal("platform:services.docs.stores[0].expireAfterHours", problem.Key);
        Assert.Contains("48-72 hours", problem.Fix);
    }

    [Fact]
    public void Invalid_and_reserved_service_names_and_unknown_fields_are_refused_all_at_once()
    {
        var problems = Refused("""{"Web_A":{"dataClassification":"public","stores":[{"kind":"staticSite"}]},"network":{"dataClassification":"secret","stores":[{"kind":"transientStore","expireDays":2}]}}""");
        Assert.Equal(["platform:services.Web_A", "platform:services.network", "platform:services.network.dataClassification", "platform:services.network.stores[0].expireDays"],
            problems.Select(p => p.Key));
        Assert.Contains("expireAfterDays", problems[3].Fix);
    }

    [Fact]
    public void Any_service_may_own_any_kind_and_several_stores()
    {
        var template = StorageStacks.Template(c => c["platform:services"] = """
            {"api":{"dataClassification":"internal","stores":[{"kind":"secureStore","name":"keys"},{"kind":"transientStore","name":"uploads"},{"kind":"staticSite","name":"docs"}]}}
            """);
        Assert.NotNull(template.Find("api-keys-key"));
        Assert.NotNull(template.Find("api-uploads-lifecycle"));
        Assert.NotNull(template.Find("api-docs-cdn"));
    }
}
