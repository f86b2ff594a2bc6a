using System.Text.Json;
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
public class BootstrapTests
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

    private static string Text(Value value) => value switch
    {
        InterpolationValue i => i.Render(),
        ReferenceValue r => "${" + r.Expression + "}",
        StringValue s => s.Text,
        _ => value.ToString()!,
    };

    // --- Who may assume what ------------------------------------------------------------------------------------

    /// <summary>Fake ARNs for the outputs the bootstrap's policies reference.</summary>
    private static Evaluator Evaluator(Template template, string account)
    {
        var outputs = new Moq.Mock<IDeployedOutputs>(Moq.MockBehavior.Strict);
        outputs.Setup(o => o.Get(Moq.It.IsAny<string>(), Moq.It.IsAny<string>(), Moq.It.IsAny<string>())).Returns((string name, string type, string path) => (type, path) switch
        {
            ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "arn") => $"arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com",
            ("aws:iam/role:Role", "arn") => $"arn:aws:iam::{account}:role/{template.Get(name).Text("name")}",
            ("aws:kms/key:Key", "arn") => $"arn:aws:kms:eu-west-1:{account}:key/{name}",
            ("aws:s3/bucket:Bucket", "arn") => $"arn:aws:s3:::{template.Get(name).Text("bucket")}",
            _ => throw new InvalidOperationException($"unexpected output {name}.{path} ({type})"),
        });
        return new Evaluator(template, outputs.Object);
    }

    private static JsonElement Trust(Template template, string account, string role) =>
        Assert.Single(Evaluator(template, account).Json(template.Get(role).Prop("assumeRolePolicy")!).GetProperty("Statement").EnumerateArray());

    private static IReadOnlyList<JsonElement> Policy(Template template, string account, string resource) =>
        Evaluator(template, account).Json(template.Get(resource).Prop("policy")!).GetProperty("Statement").EnumerateArray().ToList();

    private static string[] Strings(JsonElement e) => e.ValueKind == JsonValueKind.Array ? [.. e.EnumerateArray().Select(x => x.GetString()!)] : [e.GetString()!];

    [Theory]
    [InlineData("ci-deploy-dev-role", new[] { "repo:acme/platform:environment:dev" })]
    [InlineData("ci-promote-stage-role", new[] { "repo:acme/platform:environment:stage" })]
    [InlineData("ci-preview-role", new[] { "repo:acme/platform:pull_request", "repo:acme/platform:ref:refs/heads/main" })]
    public void A_ci_role_trusts_github_oidc_for_exact_subjects_of_this_repository_only(string role, string[] subjects)
    {
        var trust = Trust(CompileStack("dev").Template!, "111111111111", role);
        Assert.Equal("sts:AssumeRoleWithWebIdentity", trust.GetProperty("Action")[0].GetString());
        Assert.Equal("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com", trust.GetProperty("Principal").GetProperty("Federated").GetString());
        var condition = trust.GetProperty("Condition");
        Assert.Equal(["StringEquals"], condition.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["sts.amazonaws.com"], Strings(condition.GetProperty("StringEquals").GetProperty("token.actions.githubusercontent.com:aud")));
        Assert.Equal(subjects, Strings(condition.GetProperty("StringEquals").GetProperty("token.actions.githubusercontent.com:sub")));
    }

    [Fact]
    public void The_deployer_is_assumed_by_the_accounts_deploy_role_and_its_operators_only()
    {
        var config = Config(b => b["operators"] = new JsonArray("arn:aws:iam::111111111111:role/Admin"));
        var template = Compile(config).Template!;
        var trust = Trust(template, "111111111111", "deployer-role");
        Assert.Equal(["arn:aws:iam::111111111111:role/platform-ci-deploy-dev", "arn:aws:iam::111111111111:role/Admin"], Strings(trust.GetProperty("Principal").GetProperty("AWS")));
    }

    [Theory]
    [InlineData("ecr:PutImage", "arn:aws:ecr:eu-west-1:111111111111:repository/platform/dev/signatures", PolicyDecision.Allow)]
    [InlineData("ecr:PutImage", "arn:aws:ecr:eu-west-1:111111111111:repository/platform/prod/signatures", PolicyDecision.NotAllowed)]
    [InlineData("sts:AssumeRole", "arn:aws:iam::111111111111:role/platform-deployer", PolicyDecision.Allow)]
    [InlineData("sts:AssumeRole", "arn:aws:iam::222222222222:role/platform-deployer", PolicyDecision.NotAllowed)]
    [InlineData("kms:Decrypt", "arn:aws:kms:eu-west-1:111111111111:key/secrets-key", PolicyDecision.Allow)]
    [InlineData("kms:Decrypt", "arn:aws:kms:eu-west-1:111111111111:key/another-key", PolicyDecision.NotAllowed)]
    public void The_deploy_role_pushes_its_stages_images_decrypts_its_secrets_and_acts_as_the_deployer(string action, string resource, PolicyDecision expected)
    {
        var template = CompileStack("dev").Template!;
        Assert.Equal(expected, PolicySimulator.Decide(Policy(template, "111111111111", "ci-deploy-dev-policy"), PolicyRequest.Of(action, resource)));
    }

    [Theory]
    [InlineData("ci-state-stage-policy", "s3:PutObject", ".pulumi/stacks/platform/stage.json", PolicyDecision.Allow)]
    [InlineData("ci-state-stage-policy", "s3:PutObject", ".pulumi/stacks/platform/stage.pulumi-tags", PolicyDecision.Allow)]
    [InlineData("ci-state-stage-policy", "s3:PutObject", ".pulumi/locks/organization/platform/stage/1.json", PolicyDecision.Allow)]
    [InlineData("ci-state-stage-policy", "s3:PutObject", ".pulumi/stacks/platform/dev.pulumi-tags", PolicyDecision.NotAllowed)]
    [InlineData("ci-state-stage-policy", "s3:PutObject", ".pulumi/stacks/platform/prod.json", PolicyDecision.NotAllowed)]
    [InlineData("ci-state-stage-policy", "s3:GetObject", ".pulumi/stacks/platform/dev.pulumi-tags", PolicyDecision.Allow)]
    [InlineData("ci-state-preview-policy", "s3:GetObject", ".pulumi/stacks/platform/prod.json", PolicyDecision.Allow)]
    [InlineData("ci-state-preview-policy", "s3:PutObject", ".pulumi/locks/organization/platform/prod/1.json", PolicyDecision.Allow)]
    [InlineData("ci-state-preview-policy", "s3:PutObject", ".pulumi/stacks/platform/prod.json", PolicyDecision.NotAllowed)]
    public void A_stages_state_role_writes_its_own_stacks_and_reads_the_others_ledgers(string policy, string action, string key, PolicyDecision expected)
    {
        var template = CompileStack("prod").Template!;
        Assert.Equal(expected, PolicySimulator.Decide(Policy(template, "333333333333", policy),
            PolicyRequest.Of(action, $"arn:aws:s3:::platform-state-333333333333-eu-west-1/{key}")));
    }

    [Theory]
    [InlineData("iam:PutRolePolicy", "arn:aws:iam::111111111111:role/platform-dev-signatures-task", PolicyDecision.Allow)]
    [InlineData("iam:PutRolePolicy", "arn:aws:iam::111111111111:role/platform-prod-signatures-task", PolicyDecision.NotAllowed)]
    [InlineData("iam:UpdateAssumeRolePolicy", "arn:aws:iam::111111111111:role/platform-ci-deploy-dev", PolicyDecision.ExplicitDeny)]
    [InlineData("iam:UpdateAssumeRolePolicy", "arn:aws:iam::111111111111:role/platform-deployer", PolicyDecision.ExplicitDeny)]
    [InlineData("s3:PutBucketPolicy", "arn:aws:s3:::platform-state-111111111111-eu-west-1", PolicyDecision.ExplicitDeny)]
    [InlineData("kms:ScheduleKeyDeletion", "arn:aws:kms:eu-west-1:111111111111:key/secrets-key", PolicyDecision.ExplicitDeny)]
    public void The_deployer_manages_its_stacks_roles_and_keeps_off_the_bootstrap(string action, string resource, PolicyDecision expected)
    {
        var template = CompileStack("dev").Template!;
        Assert.Equal(expected, PolicySimulator.Decide(Policy(template, "111111111111", "deployer-policy"), PolicyRequest.Of(action, resource)));
        Assert.Equal("arn:aws:iam::aws:policy/PowerUserAccess", template.Get("deployer-power-user").Text("policyArn"));
    }

    [Fact]
    public void The_preview_role_reads_configuration_but_not_data()
    {
        var template = CompileStack("dev").Template!;
        Assert.Equal("arn:aws:iam::aws:policy/ReadOnlyAccess", template.Get("ci-preview-read-only").Text("policyArn"));
        var statements = Policy(template, "111111111111", "ci-preview-policy");
        Assert.Equal(PolicyDecision.ExplicitDeny, PolicySimulator.Decide(statements, PolicyRequest.Of("s3:GetObject", "arn:aws:s3:::platform-dev-signatures-images-111111111111/x.png")));
        Assert.Equal(PolicyDecision.ExplicitDeny, PolicySimulator.Decide(statements, PolicyRequest.Of("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:111111111111:secret:x")));
        Assert.Equal(PolicyDecision.Allow, PolicySimulator.Decide(statements, PolicyRequest.Of("kms:Decrypt", "arn:aws:kms:eu-west-1:111111111111:key/secrets-key")));
    }

    [Fact]
    public void An_existing_oidc_provider_is_trusted_by_its_arn_instead_of_created()
    {
        var template = Compile(Config(b => b["github"]!["oidcProvider"] = "existing")).Template!;
        Assert.Empty(template.OfType<Platform.Infra.Aws.Iam.OpenIdConnectProvider>());
        Assert.Equal("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
            Trust(template, "111111111111", "ci-preview-role").GetProperty("Principal").GetProperty("Federated").GetString());
    }

    [Fact]
    public void The_oidc_provider_accepts_the_sts_audience_without_a_thumbprint()
    {
        var provider = CompileStack("dev").Template!.Get("github-provider");
        Assert.Equal("https://token.actions.githubusercontent.com", provider.Text("url"));
        Assert.Equal("sts.amazonaws.com", provider.Text("clientIdLists[0]"));
        Assert.Null(provider.Prop("thumbprintLists"));
    }

    // --- Bad input ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("acme/*")]
    [InlineData("*/platform")]
    [InlineData("acme/plat?orm")]
    public void A_wildcard_repository_is_refused(string repository)
    {
        var problem = Single(Problems(Config(b => b["github"]!["repository"] = repository)), "platform:bootstrap.github.repository");
        Assert.Contains("is a pattern", problem.Problem);
        Assert.Contains("pulumi config set --path 'platform:bootstrap.github.repository' <owner>/<repo> --stack dev", problem.Format("dev"));
    }

    [Theory]
    [InlineData("https://github.com/acme/platform")]
    [InlineData("acme")]
    [InlineData("acme/platform/extra")]
    public void A_repository_that_is_not_owner_slash_repo_is_refused(string repository)
    {
        Assert.Contains("is not a GitHub repository as owner/repo", Single(Problems(Config(b => b["github"]!["repository"] = repository)), "platform:bootstrap.github.repository").Problem);
    }

    [Fact]
    public void A_subject_of_another_repository_is_refused()
    {
        var problem = Single(Problems(Config(b => Stage(b, 0)["subject"] = "repo:evil/fork:environment:dev")), "platform:bootstrap.stages[0].subject");
        Assert.Contains($"trusts another repository than {Repository}", problem.Problem);
    }

    [Theory]
    [InlineData("repo:acme/platform:*", "is a pattern")]
    [InlineData("repo:acme/platform:ref:refs/heads/main", "has no environment claim for 'dev'")]
    [InlineData("repo:acme/platform:environment:prod", "has no environment claim for 'dev'")]
    public void A_subject_that_is_a_pattern_or_lacks_the_stages_environment_is_refused(string subject, string why)
    {
        Assert.Contains(why, Single(Problems(Config(b => Stage(b, 0)["subject"] = subject)), "platform:bootstrap.stages[0].subject").Problem);
    }

    [Fact]
    public void A_customised_subject_of_this_repository_and_environment_is_trusted_exactly()
    {
        const string subject = "repo:acme/platform:environment:dev:job_workflow_ref:acme/platform/.github/workflows/deliver.yml@refs/heads/main";
        var template = Compile(Config(b => Stage(b, 0)["subject"] = subject)).Template!;
        var condition = Trust(template, "111111111111", "ci-deploy-dev-role").GetProperty("Condition").GetProperty("StringEquals");
        Assert.Equal([subject], Strings(condition.GetProperty("token.actions.githubusercontent.com:sub")));
    }

    [Fact]
    public void A_deploy_role_without_an_environment_is_refused()
    {
        var problem = Single(Problems(Config(b => Stage(b, 1).Remove("environment"))), "platform:bootstrap.stages[1].environment");
        Assert.Contains("stage 'stage' has no GitHub environment", problem.Problem);
        Assert.Contains("pulumi config set --path 'platform:bootstrap.stages[1].environment' stage --stack dev", problem.Format("dev"));
    }

    [Theory]
    [InlineData("prod*")]
    [InlineData("prod:main")]
    public void An_environment_that_is_a_pattern_or_has_a_colon_is_refused(string environment)
    {
        Assert.Contains("is not a GitHub environment name the trust can match exactly",
            Single(Problems(Config(b => Stage(b, 2)["environment"] = environment)), "platform:bootstrap.stages[2].environment").Problem);
    }

    [Fact]
    public void An_account_the_rollout_does_not_name_is_refused()
    {
        var config = Config();
        config["aws:allowedAccountIds"] = """["444444444444"]""";
        var problem = Single(Problems(config), "platform:bootstrap.stages");
        Assert.Contains("no stage runs in account 444444444444 (aws:allowedAccountIds) and it is not the state account (333333333333)", problem.Problem);
    }

    [Fact]
    public void An_operator_in_another_account_is_refused()
    {
        var problem = Single(Problems(Config(b => b["operators"] = new JsonArray("arn:aws:iam::333333333333:role/Admin"))), "platform:bootstrap.operators");
        Assert.Contains("is a role in account 333333333333, which aws:allowedAccountIds does not allow (111111111111)", problem.Problem);
    }

    [Fact]
    public void A_state_account_outside_the_rollout_is_refused()
    {
        Assert.Contains("is the account of no stage", Single(Problems(Config(b => b["stateAccount"] = "444444444444")), "platform:bootstrap.stateAccount").Problem);
    }

    [Fact]
    public void A_platform_setting_in_a_bootstrap_stack_is_refused()
    {
        var config = Config();
        config["platform:network"] = """{"cidr":"10.10.0.0/16","azCount":2,"natStrategy":"single"}""";
        var problem = Single(Problems(config), "platform:network");
        Assert.Contains("a bootstrap stack (platform:bootstrap) builds only what the account needs", problem.Problem);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_nothing_is_generated()
    {
        var config = Config(b =>
        {
            b["github"]!["repository"] = "acme/*";
            Stage(b, 0).Remove("environment");
            Stage(b, 1)["account"] = "22222222222";
            Stage(b, 2)["stacks"] = new JsonArray("ci");
            b["stages"]!.AsArray().Add(JsonNode.Parse("""{"name":"dev","account":"111111111111","environment":"dev","stacks":["dev"]}"""));
        });
        var result = Compile(config);
        Assert.False(result.Succeeded);
        Assert.Null(result.Text);
        Assert.Equal(
        [
            "platform:bootstrap.github.repository", "platform:bootstrap.stages", "platform:bootstrap.stages",
            "platform:bootstrap.stages[0].environment", "platform:bootstrap.stages[1].account", "platform:bootstrap.stages[2].stacks",
        ], result.Error!.Problems.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("error: stack 'dev' has 6 configuration problems; nothing was generated.", result.ErrorMessage);
        Assert.Contains("the stage 'dev' appears in more than one stage", result.ErrorMessage);
        Assert.Contains("the stack 'dev' appears in more than one stage", result.ErrorMessage);
    }
}
