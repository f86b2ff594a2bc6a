using Platform.Infra.Settings;
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

    [Fact]
    public void A_fix_sets_a_top_level_key_plainly_and_a_nested_key_with_path_for_the_named_stack()
    {
        var problems = Problems(c =>
        {
            c["aws:region"] = "mars-north-1x";
            Set(c, "platform:network", "cidr", "8.8.0.0/16");
        }, stack: "prod");

        Assert.EndsWith("fix: pulumi config set aws:region eu-west-1 --stack prod", Single(problems, "aws:region").Format("prod"));
        Assert.EndsWith("fix: pulumi config set --path 'platform:network.cidr' 10.10.0.0/16 --stack prod", Single(problems, "platform:network.cidr").Format("prod"));
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
    [InlineData("eu-west-9")]       // the right shape, but no such region: the provider would fail at preview
    [InlineData("us-iso-east-1")]   // an isolated partition, whose ARNs the platform does not write
    public void A_region_the_pinned_provider_does_not_know_is_refused(string region)
    {
        var problem = Single(Problems(c => c["aws:region"] = region), "aws:region");
        Assert.Contains($"'{region}' is not an AWS region the pinned provider knows", problem.Problem);
    }

    [Fact]
    public void A_misspelt_region_gets_the_nearest_one_in_its_fix()
    {
        var problem = Single(Problems(c => c["aws:region"] = "EU-WEST-2"), "aws:region");
        Assert.EndsWith("fix: pulumi config set aws:region eu-west-2 --stack dev", problem.Format("dev"));
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

    [Theory]
    [InlineData("eu-west-١")]        // an Arabic-Indic one: \d would match it
    [InlineData("eu-west-１")]       // a full-width one
    public void A_region_with_non_ascii_digits_is_refused(string region)
    {
        var problem = Single(Problems(c => c["aws:region"] = region), "aws:region");
        Assert.Contains("is not an AWS region the pinned provider knows", problem.Problem);
    }

    [Theory]
    [InlineData("""["١١١١١١١١١١١١"]""")]
    [InlineData("""["１１１１１１１１１１１１"]""")]
    public void Account_ids_with_non_ascii_digits_are_refused(string ids)
    {
        var problems = Problems(c => c["aws:allowedAccountIds"] = ids);
        Assert.Contains("is not a 12-digit AWS account id", Single(problems, "aws:allowedAccountIds").Problem);
    }

    [Fact]
    public void A_role_arn_with_non_ascii_digits_or_letters_is_refused()
    {
        var problems = Problems(c => c["aws:assumeRoles"] = """[{"roleArn":"arn:aws:iam::١١١١١١١١١١١١:role/deployer"},{"roleArn":"arn:aws:iam::111111111111:role/déployeur"}]""");
        Assert.Contains("is not an IAM role ARN", Single(problems, "aws:assumeRoles[0].roleArn").Problem);
        Assert.Contains("is not an IAM role ARN", Single(problems, "aws:assumeRoles[1].roleArn").Problem);
    }

    private static string ApiWithHealthPath(string path) =>
        """{"api": {"dataClassification": "internal", "stores": [{"kind": "transientStore"}], "container": {"tag": "1", "healthPath": """ +
        System.Text.Json.JsonSerializer.Serialize(path) + "}}}";

    [Theory]
    [InlineData("/health;reboot")]
    [InlineData("/$(id)")]
    [InlineData("/health|nc")]
    [InlineData("/a&b")]
    [InlineData("/`id`")]
    [InlineData("/it's")]
    [InlineData("/health?x=1")]
    [InlineData("/bad%zz")]
    [InlineData("/héalth")]
    public void A_health_path_with_characters_a_shell_would_read_is_refused(string path)
    {
        var problems = Problems(c => c[ServiceSettings.Key] = ApiWithHealthPath(path));
        Assert.Contains("is not an HTTP path like /health", Single(problems, "platform:services.api.container.healthPath").Problem);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/v1/health-check_2.json")]
    [InlineData("/~status/%7Eok")]
    public void A_health_path_of_url_path_characters_is_accepted(string path)
    {
        var problems = Compile(Config(c => c[ServiceSettings.Key] = ApiWithHealthPath(path))).Error?.Problems ?? [];
        Assert.DoesNotContain(problems, p => p.Key == "platform:services.api.container.healthPath");
    }

    [Fact]
    public void A_long_value_is_cut_in_messages()
    {
        var region = new string('x', 100_000);
        var result = Compile(Config(c => c["aws:region"] = region));
        Assert.Contains("(100000 characters)", result.Error!.Message);
        Assert.True(result.Error.Message.Length < 2_000, $"{result.Error.Message.Length} characters");
    }

    [Theory]
    [InlineData("aws:region", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]   // the shape of an AWS secret access key
    [InlineData("aws:region", "AKIAIOSFODNN7EXAMPLE")]                       // an AWS access key id
    [InlineData("aws:allowedAccountIds", """["ghp_abcdefghijklmnopqrstuvwxyz0123456789"]""")] // a GitHub token
    public void A_credential_pasted_into_a_plain_key_is_never_echoed(string key, string value)
    {
        var result = Compile(Config(c => c[key] = value));
        var secret = value.Trim('[', ']', '"');
        Assert.DoesNotContain(secret, result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains(MessageMask.Hidden, result.Error.Message);
    }

    [Fact]
    public void A_value_under_a_credential_named_key_is_never_echoed_by_any_message()
    {
        var reader = new ConfigReader(new Dictionary<string, string> { ["platform:services"] = """{"api":{"container":{"environment":{"API_TOKEN":"plain-words-token"}}}}""" });
        reader.Add("platform:services.api.container.environment.API_TOKEN", "'plain-words-token' is wrong", "replace plain-words-token");
        var problem = Assert.Single(reader.Problems);
        Assert.DoesNotContain("plain-words-token", problem.Problem + problem.Fix);
        Assert.Contains(MessageMask.Hidden, problem.Problem);
    }
}
