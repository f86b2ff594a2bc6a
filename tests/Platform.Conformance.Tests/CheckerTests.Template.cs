namespace Platform.Conformance.Tests;

/// <summary>The template-level checks: config, names, variables, builtins, options, versions, cycles, interpolation.</summary>
public sealed partial class CheckerTests
{
    [Fact]
    public void A_reference_to_an_undeclared_config_key_fails()
    {
        Single(Broken("  aws:region:\n    type: String\n", ""), ProblemKind.UndeclaredConfig,
            "resources.aws-main.properties.region", "${aws:region}: config key 'aws:region' is not declared in the template's config: block", "plugin discovery");
        Single(Broken("  dbPassword:\n    type: String\n    secret: true\n", ""), ProblemKind.UnknownReference,
            "resources.db.properties.password.fn::secret", "no resource, variable or declared config key is named 'dbPassword'", "must be declared under config:");
        // The project's own prefix resolves to a declared key; another project's does not.
        Assert.Empty(Check(Broken("fn::secret: ${dbPassword}", "fn::secret: ${platform:dbPassword}")));
        Single(Broken("fn::secret: ${dbPassword}", "fn::secret: ${other:dbPassword}"), ProblemKind.UndeclaredConfig,
            "resources.db.properties.password.fn::secret", "config key 'other:dbPassword' is not declared");
        // Without a name, a project-prefixed key is not resolved against a project: only the missing name is reported.
        Assert.Equal([ProblemKind.MissingName], Check(Broken(Broken("\nname: platform\n", "\n"), "fn::secret: ${dbPassword}", "fn::secret: ${platform:dbPassword}")).Select(p => p.Kind));
    }

    [Fact]
    public void A_template_without_a_top_level_name_fails()
    {
        Single(Broken("\nname: platform\n", "\n"), ProblemKind.MissingName, "name", "no top-level 'name'", "Main.yaml or Pulumi.yaml");
    }

    [Fact]
    public void Unknown_pulumi_variables_fail()
    {
        Single(Broken("  project: ${pulumi.project}", "  project: ${pulumi.projectName}"), ProblemKind.UnknownReference,
            "outputs.project", "the built-in 'pulumi' variable has only pulumi.stack, pulumi.project");
    }

    [Fact]
    public void An_unknown_builtin_fails()
    {
        Single(Broken("        fn::toJSON:\n          Version: \"2012-10-17\"\n          Statement:\n            - Effect: Allow",
                "        fn::toJson:\n          Version: \"2012-10-17\"\n          Statement:\n            - Effect: Allow"),
            ProblemKind.UnknownBuiltin, "resources.fn-role.properties.assumeRolePolicy.fn::toJson", "write 'fn::toJSON'");
        Single(Broken("            fn::join: [\",\", [\"${network-subnet.id}\"]]", "            fn::concat: [\",\", [\"${network-subnet.id}\"]]"),
            ProblemKind.UnknownBuiltin, "resources.fn.properties.environment.variables.SUBNETS.fn::concat",
            "'fn::concat' is not a Pulumi YAML built-in", "fn::toJSON");
        Single(Broken("            fn::join: [\",\", [\"${network-subnet.id}\"]]", "            fn::join: [\",\", \"${network-subnet.id}\", x]"),
            ProblemKind.BuiltinArguments, "resources.fn.properties.environment.variables.SUBNETS.fn::join", "takes a two-element list");
    }

    [Fact]
    public void An_unknown_option_fails()
    {
        Single(Broken("      dependsOn: [\"${logs-versioning}\"]", "      dependOn: [\"${logs-versioning}\"]"), ProblemKind.UnknownOption,
            "resources.logs-lifecycle.options.dependOn", "'dependOn' is not a resource option (did you mean 'dependsOn'?)");
        Single(Broken("      dependsOn: [\"${logs-versioning}\"]", "      dependsOn: ${logs-versioning}"), ProblemKind.OptionShape,
            "resources.logs-lifecycle.options.dependsOn", "dependsOn must be a list of resources");
        Single(Broken("      deletedWith: ${logs}", "      deletedWith: ${logs.arn}"), ProblemKind.OptionShape,
            "resources.listener.options.deletedWith", "deletedWith takes a resource, written \"${name}\"");
        Single(Broken("        create: 10m", "        create: 10 minutes"), ProblemKind.OptionShape,
            "resources.fn.options.customTimeouts.create", "Go durations");
        Single(Broken("      provider: ${aws-main}\n      protect: true", "      provider: ${network-vpc}\n      protect: true"), ProblemKind.OptionShape,
            "resources.logs.options.provider", "provider names 'network-vpc' (aws:ec2/vpc:Vpc), which is not a provider resource");
    }

    [Fact]
    public void An_unknown_resource_field_or_top_level_key_fails()
    {
        Single(Broken("    properties:\n      forceDestroy: false", "    propertes:\n      forceDestroy: false"),
            ProblemKind.UnknownField, "resources.logs.propertes", "unknown resource field 'propertes' (did you mean 'properties'?)");
        // Pulumi matches fields case-insensitively (with a warning): the properties are still checked.
        Single(Broken("    type: aws:s3/bucketPolicy:BucketPolicy\n    properties:", "    type: aws:s3/bucketPolicy:BucketPolicy\n    Properties:"),
            ProblemKind.UnknownField, "resources.logs-policy.Properties", "write 'properties' (Pulumi matches 'Properties' case-insensitively");
        Single(Broken("outputs:\n", "output:\n"), ProblemKind.UnknownField, "output", "unknown top-level key 'output'");
    }

    [Fact]
    public void A_missing_or_wrong_version_fails()
    {
        Single(Broken("      dependsOn: [\"${logs-versioning}\"]\n", "      dependsOn: [\"${logs-versioning}\"]\n").Replace(
                "    type: aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "    type: aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
            .Replace("      version: 7.48.0\n      provider: ${aws-main}\n      dependsOn", "      provider: ${aws-main}\n      dependsOn"),
            ProblemKind.MissingVersion, "resources.logs-lifecycle.options.version", "missing options.version: pin @pulumi/aws 7.48.0");
        Single(Broken("  aws-main:\n    type: pulumi:providers:aws", "  aws-main:\n    type: pulumi:providers:aws").Replace(
                "      assumeRoles:\n        - roleArn: arn:aws:iam::111111111111:role/deploy\n          sessionName: platform\n    options:\n      version: 7.48.0",
                "      assumeRoles:\n        - roleArn: arn:aws:iam::111111111111:role/deploy\n          sessionName: platform\n    options:\n      version: 7.47.0"),
            ProblemKind.WrongVersion, "resources.aws-main.options.version", "options.version is '7.47.0', but the pinned @pulumi/aws version is '7.48.0'");
        // Invokes of aws functions are pinned too.
        Single(Broken("      options:\n        version: 7.48.0\n      return: names", "      return: names"), ProblemKind.MissingVersion,
            "variables.zones.fn::invoke.options.version", "pin @pulumi/aws 7.48.0 on every invoke");
        // The pinned version is what the caller passes in.
        Assert.Contains(ConformanceChecker.Check(Good, TestPackage.Schema, "7.49.0"), p => p.Kind == ProblemKind.WrongVersion);
    }

    [Fact]
    public void A_versioned_default_provider_pins_resources_without_a_version()
    {
        const string template = """
            name: platform
            resources:
              aws:
                type: pulumi:providers:aws
                defaultProvider: true
                properties: {region: eu-west-1}
                options: {version: 7.48.0}
              vpc:
                type: aws:ec2/vpc:Vpc
            """;
        Assert.Empty(Check(template));
        Single(template.Replace("defaultProvider: true", "defaultProvider: false"), ProblemKind.MissingVersion, "resources.vpc.options.version", "missing options.version");
        // A default provider pinned to another version pins nothing.
        var problems = Check(template.Replace("options: {version: 7.48.0}", "options: {version: 7.40.0}"));
        Assert.Equal([ProblemKind.WrongVersion, ProblemKind.MissingVersion], problems.Select(p => p.Kind));
        Assert.Equal("resources.aws.options.version", problems[0].Location);
        Assert.Contains("options.version is '7.40.0'", problems[0].Message);
    }

    [Fact]
    public void A_bad_ignore_changes_path_fails()
    {
        Single(Broken("      ignoreChanges: [tags, 'tags[\"Name\"]']", "      ignoreChanges: [tagz]"), ProblemKind.BadPropertyPath,
            "resources.network-subnet.options.ignoreChanges[0]", "ignoreChanges path 'tagz' names no input of aws:ec2/subnet:Subnet (did you mean 'tags'?)");
        Single(Broken("      ignoreChanges: [\"rules[0].expiration.days\"]", "      ignoreChanges: [\"rules[0].expirations.days\"]"), ProblemKind.BadPropertyPath,
            "resources.logs-lifecycle.options.ignoreChanges[0]", "names 'expirations', which is not a property of s3.BucketLifecycleConfigurationRule");
        Single(Broken("      additionalSecretOutputs: [password]", "      additionalSecretOutputs: [passwd]"), ProblemKind.BadPropertyPath,
            "resources.db.options.additionalSecretOutputs[0]", "'passwd' is not an output of aws:rds/instance:Instance");
    }

    [Fact]
    public void A_dependency_cycle_fails_and_names_its_members()
    {
        // logs-versioning → logs-lifecycle (new) → logs-versioning (dependsOn).
        var problem = Single(Broken("      bucket: ${logs.bucket}", "      bucket: ${logs-lifecycle.bucket}"), ProblemKind.Cycle,
            "resources.logs-lifecycle", "dependency cycle: logs-lifecycle → logs-versioning → logs-lifecycle");
        Assert.Contains("members: logs-lifecycle, logs-versioning", problem.Message);
        // Through a variable, and a resource that references itself.
        const string template = """
            name: cycles
            variables:
              name: ${b.id}
            resources:
              a:
                type: aws:sqs/queue:Queue
                properties: {name: "${name}-a"}
                options: {version: 7.48.0}
              b:
                type: aws:sqs/queue:Queue
                properties: {name: "${a.name}-b"}
                options: {version: 7.48.0}
              c:
                type: aws:sqs/queue:Queue
                properties: {name: q}
                options: {version: 7.48.0, parent: "${c}"}
            """;
        var problems = Check(template);
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal(ProblemKind.Cycle, p.Kind));
        Assert.Contains(problems, p => p.Message.Contains("dependency cycle: a → variables.name → b → a"));
        Assert.Contains(problems, p => p.Message.Contains("dependency cycle: c → c"));
    }

    [Fact]
    public void A_malformed_interpolation_fails()
    {
        Single(Broken("      vpcId: ${network-vpc.id}", "      vpcId: ${network-vpc.id"), ProblemKind.MalformedInterpolation,
            "resources.network-subnet.properties.vpcId", "unterminated interpolation", "$${");
        Single(Broken("        Name: \"platform-${pulumi.stack}-vpc\"", "        Name: \"platform-${}-vpc\""), ProblemKind.MalformedInterpolation,
            "resources.network-vpc.properties.tags.Name", "empty interpolation '${}'");
        Single(Broken("      vpcId: ${network-vpc.id}", "      vpcId: ${network-vpc.}"), ProblemKind.MalformedInterpolation,
            "resources.network-subnet.properties.vpcId", "empty property name");
        // $$ escapes: "$${aws:username}" in good.yaml is a literal, not a reference to an undeclared config key.
        Assert.Contains("$${aws:username}", Good);
        Single(Broken("$${aws:username}", "${aws:username}"), ProblemKind.UndeclaredConfig,
            "resources.logs-policy.properties.policy.fn::toJSON.Statement[1].Resource", "'aws:username'");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var broken = Broken(Broken(Broken("      cidrBlock: 10.0.0.0/16", "      cidrBlok: 10.0.0.0/16"),
            "      vpcId: ${network-vpc.id}\n", ""), "            days: 30", "            days: thirty");
        var problems = Check(broken);
        Assert.Equal(
            [ProblemKind.UnknownProperty, ProblemKind.MissingRequired, ProblemKind.WrongShape],
            problems.Select(p => p.Kind));
    }

    [Fact]
    public void Text_that_is_not_yaml_fails_with_a_line()
    {
        var problem = Single("resources:\n  a: [unclosed\n", ProblemKind.Syntax, "template", "not valid YAML/JSON");
        Assert.True(problem.Line > 0);
        Single("- a\n- b\n", ProblemKind.Syntax, "template", "must be a mapping");
    }
}
