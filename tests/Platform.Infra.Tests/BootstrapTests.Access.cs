using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>Who the bootstrap roles trust and what they may do, evaluated with the policy simulator.</summary>
public partial class BootstrapTests
{
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
}
