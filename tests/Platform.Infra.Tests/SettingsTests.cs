using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Support.TestStacks;

namespace Platform.Infra.Tests;

public class SettingsTests
{
    private static ConfigProblem Single(IReadOnlyList<ConfigProblem> problems, string key)
    {
        var matching = problems.Where(p => p.Key == key).ToList();
        Assert.True(matching.Count == 1, $"expected one problem for {key}, got: {string.Join("; ", problems.Select(p => p.Key + ": " + p.Problem))}");
        return matching[0];
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_stack_key_and_fix()
    {
        var result = Compile(Config(c =>
        {
            c["aws:region"] = "mars-north-1x";
            Set(c, "platform:network", "azCount", 4);
            Set(c, "platform:network", "natStrategy", "onePerAZ");
        }), stack: "prod");

        Assert.False(result.Succeeded);
        Assert.Equal(["aws:region", "platform:network.azCount", "platform:network.natStrategy"], result.Error!.Problems.Select(p => p.Key).Order());
        var message = result.Error.Message;
        Assert.StartsWith("error: stack 'prod' has 3 configuration problems; nothing was generated.", message);
        Assert.Contains("fix: pulumi config set --path 'platform:network.azCount' 3 --stack prod", message);
        Assert.Contains("Did you mean 'onePerAz'?", message);
    }

    [Theory]
    [InlineData("aws:region")]
    [InlineData("aws:allowedAccountIds")]
    [InlineData("aws:defaultTags")]
    [InlineData("platform:network")]
    public void A_missing_required_setting_is_named_with_the_command_that_sets_it(string key)
    {
        var problem = Single(Problems(c => c.Remove(key)), key);
        Assert.Equal("is required but not set.", problem.Problem);
        Assert.Contains(key, problem.Fix);
    }

    [Theory]
    [InlineData("10.10.0.0/15", "larger than AWS allows")]
    [InlineData("10.10.0.0/25", "too small")]
    [InlineData("10.10.0.1/16", "host bits set; the network is 10.10.0.0/16")]
    [InlineData("10.10.0/16", "not an IPv4 CIDR block")]
    [InlineData("300.10.0.0/16", "not an IPv4 CIDR block")]
    [InlineData("8.8.0.0/16", "not inside a private (RFC 1918) range")]
    public void A_bad_vpc_cidr_is_refused(string cidr, string why)
    {
        var problem = Single(Problems(c => Set(c, "platform:network", "cidr", cidr)), "platform:network.cidr");
        Assert.Contains(why, problem.Problem);
    }

    [Fact]
    public void A_cidr_with_host_bits_is_fixed_with_its_canonical_form()
    {
        var problem = Single(Problems(c => Set(c, "platform:network", "cidr", "172.16.5.0/16")), "platform:network.cidr");
        Assert.Contains("'platform:network.cidr' 172.16.0.0/16", problem.Fix);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void An_az_count_outside_two_to_three_is_refused(int count)
    {
        var problem = Single(Problems(c => Set(c, "platform:network", "azCount", count)), "platform:network.azCount");
        Assert.Contains("must be from 2 to 3", problem.Problem);
    }

    [Fact]
    public void A_misspelled_nat_strategy_gets_a_suggestion()
    {
        var problem = Single(Problems(c => Set(c, "platform:network", "natStrategy", "singel")), "platform:network.natStrategy");
        Assert.Contains("Did you mean 'single'?", problem.Problem);
    }

    [Theory]
    [InlineData("""["12345"]""", "'12345' is not a 12-digit AWS account id")]
    [InlineData("""["1111111111111"]""", "is not a 12-digit AWS account id")]
    [InlineData("""[]""", "must be a non-empty list")]
    [InlineData("""{"id":"111111111111"}""", "must be a non-empty list")]
    public void A_bad_account_id_list_is_refused(string value, string why)
    {
        var problem = Single(Problems(c => c["aws:allowedAccountIds"] = value), "aws:allowedAccountIds");
        Assert.Contains(why, problem.Problem);
    }

    [Theory]
    [InlineData("eu-west")]
    [InlineData("EU-WEST-1")]
    [InlineData("eu-west-1a")]
    public void A_malformed_region_is_refused(string region)
    {
        var problem = Single(Problems(c => c["aws:region"] = region), "aws:region");
        Assert.Contains($"'{region}' is not an AWS region name", problem.Problem);
    }

    [Fact]
    public void A_deployer_role_in_another_account_is_refused()
    {
        var problem = Single(Problems(c => c["aws:assumeRoles"] = """[{"roleArn":"arn:aws:iam::999999999999:role/platform-deployer"}]"""), "aws:assumeRoles[0].roleArn");
        Assert.Contains("account 999999999999, which aws:allowedAccountIds does not allow", problem.Problem);
    }

    [Fact]
    public void The_v6_singular_assume_role_is_refused()
    {
        var problem = Single(Problems(c => c["aws:assumeRole"] = """{"roleArn":"arn:aws:iam::111111111111:role/x"}"""), "aws:assumeRole");
        Assert.Contains("v7", problem.Problem);
    }

    [Fact]
    public void Default_tags_must_carry_every_required_tag()
    {
        var problem = Single(Problems(c => c["aws:defaultTags"] = """{"tags":{"Project":"platform","Environment":"test"}}"""), "aws:defaultTags");
        Assert.Contains("lacks the tags ManagedBy, Owner, CostCenter", problem.Problem);
    }

    [Fact]
    public void An_unknown_platform_key_or_field_is_refused_as_a_typo()
    {
        var problems = Problems(c =>
        {
            c["platform:netwrok"] = "{}";
            Set(c, "platform:network", "azCuont", 3);
        });
        Assert.Contains("did you mean platform:network?", Single(problems, "platform:netwrok").Fix);
        Assert.Contains("did you mean 'azCount'?", Single(problems, "platform:network.azCuont").Fix);
    }

    [Fact]
    public void Protected_data_cannot_be_disposable()
    {
        var problem = Single(Problems(c => c["platform:profile"] = """{"protect":true,"disposableData":true}"""), "platform:profile.disposableData");
        Assert.Contains("never disposable", problem.Problem);
    }

    [Fact]
    public void A_log_retention_cloudwatch_does_not_offer_is_refused_with_the_next_valid_value()
    {
        var problem = Single(Problems(c => Set(c, "platform:profile", "logRetentionDays", 100)), "platform:profile.logRetentionDays");
        Assert.Contains("--path 'platform:profile.logRetentionDays' 120", problem.Fix);
    }

    [Fact]
    public void A_stack_name_unfit_for_resource_names_is_refused()
    {
        var problem = Single(Problems(_ => { }, stack: "Prod_EU"), "stack name");
        Assert.Contains("lower-case", problem.Problem);
    }

    [Fact]
    public void An_unknown_stack_lists_the_known_ones()
    {
        var result = Platform.Infra.StackCompiler.Compile(new CompileRequest(Project, "qa", Config(), RepoRoot));
        var problem = Single(result.Error!.Problems, "stack");
        Assert.Contains("known stacks: dev, prod, stage", problem.Problem);
    }

    [Fact]
    public void Config_values_of_unknown_keys_are_never_echoed()
    {
        var result = Compile(Config(c => c["platform:dbPasword"] = "hunter2-canary"));
        Assert.DoesNotContain("hunter2-canary", result.Error!.Message);
    }

    [Fact]
    public void Explicit_subnets_must_fit_the_vpc_and_not_overlap()
    {
        var problems = Problems(c => c["platform:network"] = """
            {"cidr":"10.10.0.0/16","azCount":2,"natStrategy":"single","subnets":{
              "public":["10.10.0.0/24","10.10.1.0/24"],
              "private":["10.10.0.128/25","10.11.0.0/24"],
              "database":["10.10.2.0/24"]}}
            """);
        Assert.Contains("overlaps platform:network.subnets.public[0]", Single(problems, "platform:network.subnets.private[0]").Problem);
        Assert.Contains("not inside the VPC's 10.10.0.0/16", Single(problems, "platform:network.subnets.private[1]").Problem);
        Assert.Contains("lists 1 CIDRs but the VPC spans 2 AZs", Single(problems, "platform:network.subnets.database").Problem);
    }
}
