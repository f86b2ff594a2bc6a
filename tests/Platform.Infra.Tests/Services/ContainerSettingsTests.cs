using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Support.TestStacks;
using static Platform.Infra.Tests.ServiceStacks;

namespace Platform.Infra.Tests;

/// <summary>The container settings of a service: every bad value refused, naming the stack, service and key.</summary>
public class ContainerSettingsTests
{
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
