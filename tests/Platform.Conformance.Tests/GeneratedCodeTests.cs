using Platform.Infra.Aws;
using Platform.Infra.Aws.Ec2;
using Platform.Infra.Aws.Iam;
using Platform.Infra.Aws.S3;
using Platform.Infra.Model;
using Platform.TypeGen;
using Xunit.Abstractions;

namespace Platform.Conformance.Tests;

/// <summary>The committed infra/Aws/Generated files are what TypeGen makes now, and what they render conforms.</summary>
public sealed class GeneratedCodeTests(ITestOutputHelper output)
{
    private static string GeneratedDirectory => Path.Combine(TestPackage.RepoRoot, "infra", "Aws", "Generated");

    [Fact]
    public void The_committed_generated_files_are_up_to_date()
    {
        var tokens = CSharpGenerator.ReadResourceList(File.ReadAllText(Path.Combine(TestPackage.RepoRoot, "tools", "TypeGen", "resources.txt")));
        var generated = CSharpGenerator.Generate(TestPackage.Schema, tokens);
        const string fix = "regenerate from the repository root: dotnet run --project tools/TypeGen -- conformance/node_modules/@pulumi/aws infra/Aws/Generated";
        var committed = Directory.EnumerateFiles(GeneratedDirectory, "*.g.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.True(generated.Keys.SequenceEqual(committed), $"the generated file set differs ({string.Join(", ", committed)} vs {string.Join(", ", generated.Keys)}): {fix}");
        foreach (var (name, content) in generated)
        {
            var bytes = File.ReadAllBytes(Path.Combine(GeneratedDirectory, name));
            Assert.True(bytes.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(content)), $"{name} is out of date: {fix}");
        }
    }

    [Fact]
    public void Generation_is_deterministic_and_covers_the_listed_resources()
    {
        var tokens = CSharpGenerator.ReadResourceList(File.ReadAllText(Path.Combine(TestPackage.RepoRoot, "tools", "TypeGen", "resources.txt")));
        Assert.True(tokens.Count >= 77);
        var first = CSharpGenerator.Generate(TestPackage.Schema, tokens);
        var second = CSharpGenerator.Generate(TestPackage.Schema, tokens.Reverse());
        Assert.Equal(first, second);
        foreach (var token in tokens)
        {
            var resource = TestPackage.Schema.Resource(token);
            Assert.True(resource is not null, $"{token} is not a resource of the package");
            var file = CSharpGenerator.ModuleName(resource.Module) + ".g.cs";
            Assert.Contains($"public const string PulumiType = \"{token}\";", first[file]);
        }
        Assert.Equal("CloudFront", CSharpGenerator.ModuleName("cloudfront"));
        Assert.Equal("AppAutoScaling", CSharpGenerator.ModuleName("appautoscaling"));
        Assert.Equal("Ec2", CSharpGenerator.ModuleName("ec2"));
    }

    [Fact]
    public void An_unknown_token_fails_generation_loudly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CSharpGenerator.Generate(TestPackage.Schema, ["aws:ec2/vpc:Vpc", "aws:ec2:Subnet", "aws:ec2/nope:Nope"]));
        Assert.Contains("'aws:ec2:Subnet' is not canonical: list 'aws:ec2/subnet:Subnet'", error.Message);
        Assert.Contains("'aws:ec2/nope:Nope' is not a resource of @pulumi/aws 7.48.0", error.Message);
    }

    [Fact]
    public void A_name_collision_fails_generation_loudly()
    {
        // ec2.ManagedPrefixList's input type ec2.ManagedPrefixListEntry has the name of the resource ManagedPrefixListEntry.
        var error = Assert.Throws<InvalidOperationException>(() => CSharpGenerator.Generate(TestPackage.Schema,
            ["aws:ec2/managedPrefixList:ManagedPrefixList", "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"]));
        Assert.Contains("Platform.Infra.Aws.Ec2.ManagedPrefixListEntry is wanted by both aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry and input type ec2.ManagedPrefixListEntry", error.Message);
        // A type named like a runtime model type would hide it.
        error = Assert.Throws<InvalidOperationException>(() => CSharpGenerator.Generate(TestPackage.Schema, ["aws:resourcegroups/resource:Resource"]));
        Assert.Contains("Platform.Infra.Aws.Resourcegroups.Resource (from aws:resourcegroups/resource:Resource) would hide the runtime model's Resource", error.Message);
    }

    [Fact]
    public void Pinned_versions_agree()
    {
        Assert.Equal(AwsProvider.Version, TestPackage.Version);
        Assert.Equal(AwsProvider.Version, TestPackage.Schema.Version);
    }

    [Fact]
    public void A_template_built_from_the_generated_types_conforms()
    {
        var template = new Template("generated types") { Name = "platform" };
        var scope = new ComponentScope(new StackContext("platform", "dev", template), "network", new Dictionary<string, string> { ["Owner"] = "platform" });
        var vpc = scope.Add("vpc", new VpcArgs { CidrBlock = "10.0.0.0/16", EnableDnsHostnames = true });
        var subnet = scope.Add("subnet-a", new SubnetArgs { VpcId = vpc.Id, CidrBlock = "10.0.1.0/24", MapPublicIpOnLaunch = false });
        var bucket = scope.Add("logs", new BucketArgs { ForceDestroy = false }, ResourceOptions.Stateful(protect: true));
        scope.Add("logs-versioning", new BucketVersioningArgs
        {
            Bucket = bucket.BucketName,
            VersioningConfiguration = new BucketVersioningVersioningConfiguration { Status = "Enabled" },
        });
        scope.Add("logs-lifecycle", new BucketLifecycleConfigurationArgs
        {
            Bucket = bucket.Id,
            Rules = new[]
            {
                new BucketLifecycleConfigurationRule
                {
                    Id = "expire",
                    Status = "Enabled",
                    Filter = new BucketLifecycleConfigurationRuleFilter { Prefix = "" },
                    Expiration = new BucketLifecycleConfigurationRuleExpiration { Days = 30 },
                },
            },
        }, new ResourceOptions { IgnoreChanges = ["rules[0].expiration.days"] });
        var policy = FunctionValue.ToJson(MapValue.From(
        [
            new("Version", Value.Of("2012-10-17")),
            new("Statement", Value.Of([MapValue.From(
            [
                new("Effect", Value.Of("Allow")),
                new("Principal", MapValue.From([new("Service", Value.Of("ec2.amazonaws.com"))])),
                new("Action", Value.Of("sts:AssumeRole")),
            ])])),
        ]));
        var role = scope.Add("role", new RoleArgs { AssumeRolePolicy = Input<string>.FromValue(policy) });
        scope.Add("flow-log", new FlowLogArgs
        {
            VpcId = vpc.Id,
            TrafficType = "ALL",
            IamRoleArn = role.Arn,
            LogDestination = Output.Format($"{bucket.Arn}/flow-logs/"),
            LogDestinationType = "s3",
        }, new ResourceOptions { DependsOn = [subnet] });
        template.Export("vpcId", vpc.Id);
        template.Export("bucketDomain", bucket.BucketRegionalDomainName);

        var yaml = TemplateWriter.Write(template);
        output.WriteLine(yaml);
        Assert.Contains("type: \"aws:s3/bucketVersioning:BucketVersioning\"", yaml.Replace("\"type\"", "type"));
        var problems = ConformanceChecker.Check(yaml, TestPackage.Schema, AwsProvider.Version);
        foreach (var p in problems) output.WriteLine(p.ToString());
        Assert.Empty(problems);

        // The same template without the version pin fails: the checker sees what the model writes.
        var unpinned = yaml.Replace("version: \"7.48.0\"", "version: \"7.47.0\"");
        Assert.NotEqual(yaml, unpinned);
        Assert.Contains(ConformanceChecker.Check(unpinned, TestPackage.Schema, AwsProvider.Version), p => p.Kind == ProblemKind.WrongVersion);
    }
}
