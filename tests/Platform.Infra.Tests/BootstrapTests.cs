using System.Text.Json.Nodes;
using Platform.Automation.Stacks;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>
/// The account bootstrap (bootstrap/Pulumi.&lt;account&gt;.yaml, compiled by the same compiler): its goldens, the
/// compiler command of its project, who its roles trust, what they may do, and every bad input refused at once.
/// </summary>
public partial class BootstrapTests
{
    public static readonly ProjectLayout Layout = new(Path.Combine(TestStacks.RepoRoot, "bootstrap"));

    public static TheoryData<string> Stacks => ["dev", "stage", "prod"];

    private const string Repository = "acme/platform";

    internal static CompileResult CompileStack(string stack) =>
        StackCompiler.Compile(new CompileRequest(Layout.ProjectName, stack, Layout.ReadStack(stack).Values, Layout.RootDirectory));

    /// <summary>The dev account's checked-in bootstrap config, changed by <paramref name="change"/> (a JSON node of platform:bootstrap).</summary>
    private static Dictionary<string, string> Config(Action<JsonObject>? change = null, string stack = "dev")
    {
        var config = new Dictionary<string, string>(Layout.ReadStack(stack).Values);
        var bootstrap = JsonNode.Parse(config[BootstrapSettings.Key])!.AsObject();
        change?.Invoke(bootstrap);
        config[BootstrapSettings.Key] = bootstrap.ToJsonString();
        return config;
    }

    private static CompileResult Compile(Dictionary<string, string> config, string stack = "dev") =>
        StackCompiler.Compile(new CompileRequest(Layout.ProjectName, stack, config));

    private static IReadOnlyList<ConfigProblem> Problems(Dictionary<string, string> config)
    {
        var result = Compile(config);
        Assert.False(result.Succeeded, "the bootstrap config was expected to be refused");
        Assert.Null(result.Text);
        return result.Error!.Problems;
    }

    private static ConfigProblem Single(IReadOnlyList<ConfigProblem> problems, string key)
    {
        var matching = problems.Where(p => p.Key == key).ToList();
        Assert.True(matching.Count == 1, $"expected one problem for {key}, got: {string.Join("; ", problems.Select(p => p.Key + ": " + p.Problem))}");
        return matching[0];
    }

    private static JsonObject Stage(JsonObject bootstrap, int index) => bootstrap["stages"]![index]!.AsObject();

    [Theory]
    [MemberData(nameof(Stacks))]
    public void The_template_matches_the_checked_in_golden_file(string stack)
    {
        var result = CompileStack(stack);
        Assert.True(result.Succeeded, result.ErrorMessage);
        var path = Path.Combine(TestStacks.RepoRoot, "tests", "golden", $"bootstrap-{stack}.yaml");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1") File.WriteAllText(path, result.Text);
        Assert.True(File.Exists(path), $"{path} is missing: run the tests with UPDATE_GOLDEN=1 once.");
        Assert.Equal(File.ReadAllText(path), result.Text);
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void The_bootstrap_projects_compiler_command_prints_the_same_template(string stack)
    {
        var run = CompilerProcess.Start(CompilerProcess.PulumiEnvironment(stack, Layout.ReadStack(stack).Values, Layout), Layout);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(CompileStack(stack).Text, run.Stdout);
        Assert.StartsWith("name: \"platform-bootstrap\"", run.Stdout);
    }

    [Fact]
    public void Every_account_of_the_rollout_writes_the_same_rollout()
    {
        var rollouts = Layout.Stacks.Select(s => JsonNode.Parse(Layout.ReadStack(s).Values[BootstrapSettings.Key])!.ToJsonString()).Distinct().ToList();
        Assert.Equal(["dev", "prod", "stage"], Layout.Stacks);
        Assert.Single(rollouts);
    }

    [Fact]
    public void Plugin_discovery_names_every_resource_type_of_a_bootstrap()
    {
        var discovery = StackCompiler.Compile(new CompileRequest("platform-bootstrap", null, new Dictionary<string, string>())).Template!;
        var types = discovery.Resources.Select(r => r.TypeToken).ToHashSet();
        foreach (var stack in new[] { "dev", "prod" })
            Assert.Subset(types, CompileStack(stack).Template!.Resources.Select(r => r.TypeToken).ToHashSet());
    }

    [Fact]
    public void An_account_builds_its_own_stages_roles_and_the_state_account_the_rollouts_state_roles()
    {
        var dev = CompileStack("dev").Template!;
        var prod = CompileStack("prod").Template!;
        string[] Roles(Template t) => [.. t.OfType<Platform.Infra.Aws.Iam.Role>().Select(r => r.LogicalName).Order(StringComparer.Ordinal)];
        Assert.Equal(["ci-deploy-dev-role", "ci-preview-role", "ci-promote-stage-role", "deployer-role"], Roles(dev));
        Assert.Equal(["ci-deploy-prod-role", "ci-preview-role", "ci-state-dev-role", "ci-state-preview-role", "ci-state-prod-role", "ci-state-stage-role", "deployer-role"],
            Roles(prod));
        Assert.Equal("platform-deployer", dev.Get("deployer-role").Text("name"));
        Assert.Equal("platform-ci-deploy-dev", dev.Get("ci-deploy-dev-role").Text("name"));
    }

    [Fact]
    public void The_state_bucket_is_versioned_kms_encrypted_logged_and_protected()
    {
        var template = CompileStack("dev").Template!;
        var bucket = template.Get("state-store-bucket");
        Assert.Equal("platform-state-111111111111-eu-west-1", bucket.Text("bucket"));
        Assert.True(bucket.Options.Protect);
        Assert.True(bucket.Options.RetainOnDelete);
        Assert.Equal("Enabled", template.Get("state-store-versioning").Text("versioningConfiguration.status"));
        Assert.Equal("aws:kms", template.Get("state-store-encryption").Text("rules[0].applyServerSideEncryptionByDefault.sseAlgorithm"));
        Assert.Equal("${state-key.arn}", template.Get("state-store-encryption").Text("rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId"));
        Assert.Equal("${state-logs-access-bucket.bucket}", template.Get("state-store-access-logging").Text("targetBucket"));
        Assert.True(template.Get("state-key").Options.Protect);
        Assert.True(template.Get("secrets-key").Options.Protect);
        var outputs = template.Outputs;
        Assert.Equal("s3://${state-store-bucket.bucket}?region=eu-west-1", Text(outputs["stateBackendUrl"]));
        Assert.Equal("awskms://${secrets-key-alias.name}?region=eu-west-1", Text(outputs["secretsProvider"]));
    }
}
