using Platform.Automation.Stacks;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>The checked-in stacks: golden templates, determinism, and what plugin discovery sees.</summary>
public class StackTemplateTests
{
    public static TheoryData<string> Stacks => ["dev", "stage", "prod"];

    private static readonly ProjectLayout Layout = new(TestStacks.RepoRoot);

    internal static CompileResult CompileStack(string stack) =>
        Layout.Compile(stack);

    /// <summary>
    /// Every infrastructure change shows as a diff of tests/golden/&lt;stack&gt;.yaml. After an intended change, run
    /// the tests with UPDATE_GOLDEN=1 and review the diff.
    /// </summary>
    [Theory]
    [MemberData(nameof(Stacks))]
    public void The_template_matches_the_checked_in_golden_file(string stack)
    {
        var result = CompileStack(stack);
        Assert.True(result.Succeeded, result.ErrorMessage);
        var path = Path.Combine(TestStacks.RepoRoot, "tests", "golden", $"{stack}.yaml");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, result.Text);
        }
        Assert.True(File.Exists(path), $"{path} is missing: run the tests with UPDATE_GOLDEN=1 once.");
        Assert.Equal(File.ReadAllText(path), result.Text);
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void The_same_stack_compiles_to_the_same_bytes(string stack)
    {
        Assert.Equal(CompileStack(stack).Text, CompileStack(stack).Text);
    }

    [Fact]
    public void Prod_spreads_over_three_azs_with_a_nat_gateway_in_each()
    {
        var template = CompileStack("prod").Template!;
        Assert.Equal(3, template.OfType<Platform.Infra.Aws.Ec2.NatGateway>().Count());
        Assert.Equal(9, template.OfType<Platform.Infra.Aws.Ec2.Subnet>().Count());
    }

    [Fact]
    public void Discovery_names_every_resource_type_of_every_stack_at_the_pinned_version()
    {
        var discovery = StackCompiler.Compile(new CompileRequest("platform", null, new Dictionary<string, string>())).Template!;
        var types = discovery.Resources.Select(r => r.TypeToken).ToHashSet();
        foreach (var stack in new[] { "dev", "stage", "prod" })
        {
            var template = CompileStack(stack).Template!;
            Assert.Subset(types, template.Resources.Select(r => r.TypeToken).ToHashSet());
        }
        Assert.All(discovery.Resources.Where(r => r.TypeToken.StartsWith("aws:", StringComparison.Ordinal)),
            r => Assert.Equal(Platform.Infra.Aws.AwsProvider.Version, r.ProviderVersion));
    }

    [Fact]
    public void The_pinned_provider_version_is_the_one_ci_checks_against()
    {
        var package = File.ReadAllText(Path.Combine(TestStacks.RepoRoot, "conformance", "package.json"));
        Assert.Contains($"\"@pulumi/aws\": \"{Platform.Infra.Aws.AwsProvider.Version}\"", package);
    }
}
