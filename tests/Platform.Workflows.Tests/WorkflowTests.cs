using System.Diagnostics;
using Xunit.Abstractions;

namespace Platform.Workflows.Tests;

/// <summary>
/// The repository's workflows (.github/workflows) and local actions (.github/actions) against GitHub's workflow schema
/// and the hardening rules (<see cref="WorkflowRules"/>), and purpose-made broken workflows (Fixtures/) that prove
/// each rule and the schema check fail.
/// </summary>
public sealed class WorkflowTests(ITestOutputHelper output)
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static TheoryData<string> Workflows()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoRoot, ".github", "workflows"), "*.yml").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    public static TheoryData<string> Actions()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(RepoRoot, ".github", "actions")).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    private IReadOnlyList<Violation> Check(string path)
    {
        var violations = WorkflowRules.Check(path, RepoRoot);
        foreach (var v in violations) output.WriteLine(v.ToString());
        return violations;
    }

    [Fact]
    public void The_repository_has_the_three_delivery_workflows()
    {
        Assert.Equal(["deliver.yml", "drift.yml", "pull-request.yml"],
            Directory.EnumerateFiles(Path.Combine(RepoRoot, ".github", "workflows")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void A_workflow_keeps_every_hardening_rule(string workflow) =>
        Assert.Empty(Check(Path.Combine(RepoRoot, ".github", "workflows", workflow)));

    [Theory]
    [MemberData(nameof(Actions))]
    public void A_local_action_pins_every_action_it_uses(string action) =>
        Assert.Empty(WorkflowRules.CheckAction(Path.Combine(RepoRoot, ".github", "actions", action, "action.yml")));

    [Fact]
    public void The_good_fixture_keeps_every_rule() => Assert.Empty(Check(Fixture("good.yml")));

    [Theory]
    [InlineData("tag-pinned.yml", "pin", "'actions/checkout@v4' is not pinned to a full commit SHA")]
    [InlineData("short-sha.yml", "pin", "'aws-actions/configure-aws-credentials@b475783' is not pinned to a full commit SHA")]
    [InlineData("pull-request-target.yml", "trigger", "is triggered by pull_request_target")]
    [InlineData("top-permissions.yml", "permissions", "must grant nothing at the top")]
    [InlineData("contents-write.yml", "permissions", "grants contents: write, which no step of it needs")]
    [InlineData("id-token-without-role.yml", "id-token", "has id-token: write but assumes no AWS role")]
    [InlineData("static-keys.yml", "oidc", "passes aws-access-key-id")]
    [InlineData("no-allowed-accounts.yml", "account", "has no allowed-account-ids")]
    [InlineData("wrong-account.yml", "account", "assumes arn:aws:iam::${{ vars.AWS_ACCOUNT_DEV }}:role/platform-ci-deploy-prod but allows account ${{ vars.AWS_ACCOUNT_PROD }}")]
    [InlineData("deploy-role-without-environment.yml", "environment", "a role of stage 'prod', in a job without an environment")]
    [InlineData("secret-in-script.yml", "secrets", "pastes ${{ secrets.DEPLOY_TOKEN }} into its script")]
    [InlineData("checkout-keeps-token.yml", "checkout", "persist-credentials: false")]
    [InlineData("approval-outside-its-environment.yml", "approval", "approves stage 'prod' in a job of environment 'stage'")]
    [InlineData("promote-without-concurrency.yml", "concurrency", "promotes without concurrency")]
    public void A_broken_fixture_breaks_exactly_its_rule(string fixture, string rule, string problem)
    {
        var violation = Assert.Single(Check(Fixture(fixture)));
        Assert.Equal(rule, violation.Rule);
        Assert.Contains(problem, violation.Problem);
    }

    [Fact]
    public void Every_rule_has_a_fixture_that_breaks_it()
    {
        var broken = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.yml")
            .Where(f => Path.GetFileName(f) is not ("good.yml" or "schema-invalid.yml"))
            .SelectMany(f => WorkflowRules.Check(f, RepoRoot)).Select(v => v.Rule).ToHashSet();
        Assert.Equal(["account", "approval", "checkout", "concurrency", "environment", "id-token", "oidc", "permissions", "pin", "secrets", "trigger"], broken.Order(StringComparer.Ordinal));
    }

    // --- GitHub's workflow schema, with a maintained validator from npm (action-validator) ------------------------

    private static string Validator => Path.Combine(RepoRoot, "tools", "workflow-schema", "node_modules", "@action-validator", "cli", "cli.mjs");

    private (int ExitCode, string Output) Validate(string path)
    {
        if (!File.Exists(Validator)) Assert.Fail($"action-validator is not installed at {Validator}: run ./test.sh (npm ci --prefix tools/workflow-schema).");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Validator);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var text = stdout + stderr.Result;
        output.WriteLine(text);
        return (process.ExitCode, text);
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void A_workflow_is_valid_against_githubs_schema(string workflow) =>
        Assert.Equal(0, Validate(Path.Combine(RepoRoot, ".github", "workflows", workflow)).ExitCode);

    [Theory]
    [MemberData(nameof(Actions))]
    public void A_local_action_is_valid_against_githubs_schema(string action) =>
        Assert.Equal(0, Validate(Path.Combine(RepoRoot, ".github", "actions", action, "action.yml")).ExitCode);

    [Fact]
    public void A_workflow_that_breaks_the_schema_is_refused()
    {
        var (code, text) = Validate(Fixture("schema-invalid.yml"));
        Assert.Equal(1, code);
        Assert.Contains("/jobs/build", text);
        Assert.Contains("/permissions", text);
    }
}
