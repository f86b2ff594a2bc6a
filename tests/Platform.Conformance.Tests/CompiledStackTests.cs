using Platform.Automation.Stacks;
using Platform.Infra;

namespace Platform.Conformance.Tests;

/// <summary>
/// Contract 2 on what the compiler emits right now (not only the goldens): every stack of the repository, and the
/// plugin-discovery template Pulumi gets when it runs the compiler with no stack.
/// </summary>
public sealed class CompiledStackTests
{
    private static readonly ProjectLayout Layout = new(TestPackage.RepoRoot);

    /// <summary>The account bootstrap: its own Pulumi project, compiled by the same compiler.</summary>
    private static readonly ProjectLayout Bootstrap = new(Path.Combine(TestPackage.RepoRoot, "bootstrap"));

    public static TheoryData<string> Stacks()
    {
        var data = new TheoryData<string>();
        foreach (var stack in Layout.Stacks) data.Add(stack);
        return data;
    }

    private static void AssertConforms(string name, CompileResult result)
    {
        Assert.True(result.Succeeded, result.ErrorMessage);
        var problems = ConformanceChecker.Check(result.Text!, TestPackage.Schema, TestPackage.Version);
        Assert.True(problems.Count == 0, $"{name} has {problems.Count} conformance problems:\n{string.Join("\n", problems)}");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Every_stack_compiles_to_a_template_pulumi_accepts(string stack) =>
        AssertConforms(stack, StackCompiler.Compile(new CompileRequest(Layout.ProjectName, stack, Layout.ReadStack(stack).Values, Layout.RootDirectory)));

    public static TheoryData<string> BootstrapStacks()
    {
        var data = new TheoryData<string>();
        foreach (var stack in Bootstrap.Stacks) data.Add(stack);
        return data;
    }

    [Theory]
    [MemberData(nameof(BootstrapStacks))]
    public void Every_account_bootstrap_compiles_to_a_template_pulumi_accepts(string stack) =>
        AssertConforms($"bootstrap/{stack}", StackCompiler.Compile(new CompileRequest(Bootstrap.ProjectName, stack, Bootstrap.ReadStack(stack).Values, Bootstrap.RootDirectory)));

    /// <summary>A webhook subscription reaches the template as a declared secret config key and a reference to it.</summary>
    [Fact]
    public void A_stack_with_a_secret_webhook_subscription_is_accepted()
    {
        var config = new Dictionary<string, string>(Layout.ReadStack("dev").Values)
        {
            ["platform:alarmWebhook"] = "https://hooks.example.com/services/T0/B0/token",
            ["platform:monitoring"] = """{"subscriptions":[{"protocol":"https","endpointFrom":"alarmWebhook"},{"protocol":"email","endpoint":"oncall@example.com"}]}""",
        };
        AssertConforms("dev with a webhook", StackCompiler.Compile(new CompileRequest(Layout.ProjectName, "dev", config, Layout.RootDirectory)));
    }

    /// <summary>
    /// No checked-in stack migrates a database: the fixture (tests/fixtures/migration.json: prod with a MySQL 8.4
    /// target sized for 20 TB, DMS, a Site-to-Site VPN) is checked here, as it is, and with BGP routing.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData(65010)]
    public void The_migration_fixture_is_accepted(int? bgpAsn)
    {
        var config = new Dictionary<string, string>(Layout.ReadStack("prod").Values);
        var fixture = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestPackage.RepoRoot, "tests", "fixtures", "migration.json")))!.AsObject();
        if (bgpAsn is { } asn) fixture["platform:migration"]!["vpn"]!["bgpAsn"] = asn;
        foreach (var (key, value) in fixture.Where(p => !p.Key.StartsWith('_'))) config[key] = value!.ToJsonString();
        AssertConforms($"prod with the migration fixture (bgpAsn {bgpAsn})", StackCompiler.Compile(new CompileRequest(Layout.ProjectName, "prod", config, Layout.RootDirectory)));
    }

    [Fact]
    public void The_plugin_discovery_template_is_accepted_too() =>
        AssertConforms("discovery", StackCompiler.Compile(new CompileRequest(Layout.ProjectName, null, new Dictionary<string, string>())));
}
