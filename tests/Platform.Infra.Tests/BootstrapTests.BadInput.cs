using System.Text.Json.Nodes;
using Platform.Infra.Model;

namespace Platform.Infra.Tests;

/// <summary>Every bad bootstrap input is refused, all at once, naming the key and the fix.</summary>
public partial class BootstrapTests
{
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
