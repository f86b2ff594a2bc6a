using System.Diagnostics;
using Xunit.Abstractions;

namespace Platform.Conformance.Tests;

/// <summary>
/// The checker passes a correct hand-written template (Templates/good.yaml) and fails, with a specific message and
/// location, on copies of it broken on purpose, one kind of problem at a time.
/// </summary>
public sealed class CheckerTests(ITestOutputHelper output)
{
    private static readonly string Good = TestPackage.Template("good.yaml");

    private IReadOnlyList<Problem> Check(string template)
    {
        var problems = ConformanceChecker.Check(template, TestPackage.Schema, "7.48.0");
        foreach (var p in problems) output.WriteLine(p.ToString());
        return problems;
    }

    /// <summary>good.yaml with <paramref name="find"/> (which must occur exactly once) replaced.</summary>
    private static string Broken(string find, string replace) => Broken(Good, find, replace);

    private static string Broken(string template, string find, string replace)
    {
        var at = template.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the fixture does not contain '{find}'");
        Assert.True(template.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"the fixture contains '{find}' more than once");
        return template[..at] + replace + template[(at + find.Length)..];
    }

    private Problem Single(string template, ProblemKind kind, string location, params string[] messageParts)
    {
        var problems = Check(template);
        var problem = Assert.Single(problems);
        Assert.Equal(kind, problem.Kind);
        Assert.Equal(location, problem.Location);
        foreach (var part in messageParts) Assert.Contains(part, problem.Message);
        return problem;
    }

    [Fact]
    public void A_correct_template_passes()
    {
        var watch = Stopwatch.StartNew();
        var problems = Check(Good);
        output.WriteLine($"first check: {watch.ElapsedMilliseconds} ms");
        Assert.Empty(problems);
        watch.Restart();
        Check(Good);
        output.WriteLine($"second check: {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void The_same_template_as_json_passes()
    {
        const string json = """
            {
              "name": "platform",
              "config": {"aws:region": {"type": "String"}},
              "resources": {
                "vpc": {"type": "aws:ec2/vpc:Vpc", "properties": {"cidrBlock": "10.0.0.0/16", "enableDnsSupport": true, "ipv4NetmaskLength": 16},
                        "options": {"version": "7.48.0"}},
                "subnet": {"type": "aws:ec2/subnet:Subnet", "properties": {"vpcId": "${vpc.id}", "availabilityZone": "${aws:region}a"},
                           "options": {"version": "7.48.0", "dependsOn": ["${vpc}"]}}
              },
              "outputs": {"vpcArn": "${vpc.arn}"}
            }
            """;
        Assert.Empty(Check(json));
        Single(json.Replace("\"ipv4NetmaskLength\": 16", "\"ipv4NetmaskLength\": \"16\""), ProblemKind.WrongShape,
            "resources.vpc.properties.ipv4NetmaskLength", "expected a number, got the string \"16\"");
    }

    [Fact]
    public void An_unknown_type_fails()
    {
        var problem = Single(Broken("type: aws:ec2/subnet:Subnet", "type: aws:ec2/subnett:Subnett"), ProblemKind.UnknownType,
            "resources.network-subnet.type", "'aws:ec2/subnett:Subnett' is not a resource type of @pulumi/aws 7.48.0", "did you mean 'aws:ec2/subnet:Subnet'?");
        Assert.True(problem.Line > 0);
    }

    [Fact]
    public void A_deprecated_type_is_fine_but_an_unknown_one_is_not()
    {
        Assert.True(TestPackage.Schema.Resource("aws:s3/bucketV2:BucketV2")!.IsDeprecated);
        Assert.Contains("type: aws:s3/bucketV2:BucketV2", Good); // good.yaml uses the deprecated type and passes
        Assert.Empty(Check(Good));
        Single(Broken("type: aws:s3/bucketV2:BucketV2", "type: aws:s3/bucketV3:BucketV3"), ProblemKind.UnknownType,
            "resources.old-style-bucket.type", "'aws:s3/bucketV3:BucketV3' is not a resource type", "did you mean 'aws:s3/bucketV2:BucketV2'?");
    }

    [Fact]
    public void A_short_or_other_package_token_fails()
    {
        Single(Broken("type: aws:s3/bucketV2:BucketV2", "type: aws:s3:BucketV2"), ProblemKind.UnknownType,
            "resources.old-style-bucket.type", "write the canonical type token 'aws:s3/bucketV2:BucketV2'");
        Single(Broken("type: aws:s3/bucketV2:BucketV2\n    options:\n      version: 7.48.0\n      provider: ${aws-main}", "type: random:index/randomId:RandomId"),
            ProblemKind.UnknownType, "resources.old-style-bucket.type", "is not a resource type of @pulumi/aws");
    }

    [Fact]
    public void A_misspelled_property_fails()
    {
        Single(Broken("      cidrBlock: 10.0.0.0/16", "      cidrBlok: 10.0.0.0/16"), ProblemKind.UnknownProperty,
            "resources.network-vpc.properties.cidrBlok", "'cidrBlok' is not an input of aws:ec2/vpc:Vpc (did you mean 'cidrBlock'?)");
    }

    [Fact]
    public void A_misspelled_provider_property_fails()
    {
        Single(Broken("allowedAccountIds:", "allowedAccounts:"), ProblemKind.UnknownProperty,
            "resources.aws-main.properties.allowedAccounts", "is not an input of pulumi:providers:aws", "did you mean 'allowedAccountIds'?");
    }

    [Fact]
    public void A_misspelled_nested_property_fails()
    {
        Single(Broken("            prefix: \"\"", "            prefx: \"\""), ProblemKind.UnknownProperty,
            "resources.logs-lifecycle.properties.rules[0].filter.prefx",
            "'prefx' is not a property of s3.BucketLifecycleConfigurationRuleFilter (did you mean 'prefix'?)");
        // Through a list of the provider's root-level input types too.
        Single(Broken("          sessionName: platform", "          session: platform"), ProblemKind.UnknownProperty,
            "resources.aws-main.properties.assumeRoles[0].session", "is not a property of ProviderAssumeRole");
    }

    [Fact]
    public void A_value_of_the_wrong_shape_fails()
    {
        Single(Broken("            days: 30", "            days: thirty"), ProblemKind.WrongShape,
            "resources.logs-lifecycle.properties.rules[0].expiration.days", "expected a number, got the string \"thirty\"");
        Single(Broken("      enableDnsHostnames: true", "      enableDnsHostnames: [true]"), ProblemKind.WrongShape,
            "resources.network-vpc.properties.enableDnsHostnames", "expected a boolean, got a list");
        Single(Broken("      rules:\n        - id: expire", "      rules:\n        x:\n        - id: expire"), ProblemKind.WrongShape,
            "resources.logs-lifecycle.properties.rules", "expected a list (list<s3.BucketLifecycleConfigurationRule>), got an object");
        Single(Broken("        status: Enabled\n    options", "        status: [Enabled]\n    options"), ProblemKind.WrongShape,
            "resources.logs-versioning.properties.versioningConfiguration.status", "expected a string, got a list");
        // A built-in's result counts: fn::toJSON yields a string, which a number does not accept.
        Single(Broken("      memorySize: 128", "      memorySize:\n        fn::toJSON: 128"), ProblemKind.WrongShape,
            "resources.fn.properties.memorySize", "expected a number, got the result of fn::toJSON (a string)");
        // An interpolated string is a string.
        Single(Broken("      memorySize: 128", "      memorySize: \"${subnetCount}28\""), ProblemKind.WrongShape,
            "resources.fn.properties.memorySize", "expected a number, got an interpolated string");
        // Archives take fn:: archive built-ins, not a path.
        Single(Broken("      code:\n        fn::assetArchive:\n          index.js:\n            fn::stringAsset: \"exports.handler = async () => ({ statusCode: 200 });\"",
                "      code: ./dist"), ProblemKind.WrongShape, "resources.fn.properties.code", "expected an archive");
    }

    [Fact]
    public void A_reference_fits_wherever_its_result_could()
    {
        // ${x} alone keeps the type of x: a number config value for a number, a list output for a list.
        Assert.Empty(Check(Broken("      memorySize: 128", "      memorySize: ${subnetCount}")));
        Assert.Empty(Check(Broken("      vpcSecurityGroupIds: []", "      vpcSecurityGroupIds: ${network-vpc.id}")));
        Assert.Empty(Check(Broken("      memorySize: 128", "      memorySize:\n        fn::secret: 128")));
        Single(Broken("      memorySize: 128", "      memorySize:\n        fn::secret: lots"), ProblemKind.WrongShape,
            "resources.fn.properties.memorySize.fn::secret", "expected a number, got the string \"lots\"");
    }

    [Fact]
    public void A_missing_required_input_fails()
    {
        Single(Broken("      vpcId: ${network-vpc.id}\n", ""), ProblemKind.MissingRequired,
            "resources.network-subnet.properties.vpcId", "missing required input 'vpcId' (string) of aws:ec2/subnet:Subnet");
        Single(Broken("      loadBalancerArn: arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/x/1\n", ""),
            ProblemKind.MissingRequired, "resources.listener.properties.loadBalancerArn", "missing required input 'loadBalancerArn'");
        // A resource with no properties at all.
        var problem = Single(Broken("      role: ${fn-role.arn}\n      runtime: nodejs20.x\n      handler: index.handler\n      memorySize: 128\n",
                "      runtime: nodejs20.x\n      handler: index.handler\n      memorySize: 128\n"),
            ProblemKind.MissingRequired, "resources.fn.properties.role", "missing required input 'role' (string) of aws:lambda/function:Function");
        Assert.True(problem.Line > 0);
    }

    [Fact]
    public void A_missing_nested_required_input_fails()
    {
        Single(Broken("        status: Enabled\n    options", "        mfaDelete: Disabled\n    options"), ProblemKind.MissingRequired,
            "resources.logs-versioning.properties.versioningConfiguration.status",
            "missing required property 'status' (string) of s3.BucketVersioningVersioningConfiguration");
        Single(Broken("            contentType: text/plain\n", ""), ProblemKind.MissingRequired,
            "resources.listener.properties.defaultActions[0].fixedResponse.contentType",
            "missing required property 'contentType' (string) of lb.ListenerDefaultActionFixedResponse");
    }

    [Fact]
    public void A_reference_to_an_unknown_resource_fails()
    {
        Single(Broken("      vpcId: ${network-vpc.id}", "      vpcId: ${network-vcp.id}"), ProblemKind.UnknownReference,
            "resources.network-subnet.properties.vpcId", "${network-vcp.id}: no resource, variable or declared config key is named 'network-vcp' (did you mean 'network-vpc'?)");
        Single(Broken("      deletedWith: ${logs}", "      deletedWith: ${logz}"), ProblemKind.UnknownReference,
            "resources.listener.options.deletedWith", "deletedWith names 'logz', which is not a resource of the template");
    }

    [Fact]
    public void A_reference_to_an_unknown_output_fails()
    {
        Single(Broken("\n  vpcId: ${network-vpc.id}", "\n  vpcId: ${network-vpc.vpcId}"), ProblemKind.UnknownOutput,
            "outputs.vpcId", "${network-vpc.vpcId}: aws:ec2/vpc:Vpc has no output 'vpcId'");
        Single(Broken("      role: ${fn-role.arn}", "      role: ${fn-role.ARN}"), ProblemKind.UnknownOutput,
            "resources.fn.properties.role", "aws:iam/role:Role has no output 'ARN' (did you mean 'arn'?)");
        // Nested segments are checked when the output type is known.
        Single(Broken("  firstRule: ${logs-lifecycle.rules[0].id}", "  firstRule: ${logs-lifecycle.rules[0].name}"), ProblemKind.UnknownOutput,
            "outputs.firstRule", "names 'name', which is not a property of s3.BucketLifecycleConfigurationRule");
        Single(Broken("  firstRule: ${logs-lifecycle.rules[0].id}", "  firstRule: ${logs-lifecycle.rules.id}"), ProblemKind.UnknownOutput,
            "outputs.firstRule", "which is a list: use an index such as [0]");
    }

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
