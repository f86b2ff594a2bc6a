using Platform.Infra.Aws.Rds;
using Platform.Infra.Model;
using Platform.Infra.Policies;
using Platform.Infra.Tests.Support;
using static Platform.Infra.Tests.Policies.PolicyBuilders;

namespace Platform.Infra.Tests.Policies;

public class RuleTests
{
    public static TheoryData<RuleCase> Cases() => new(RuleCases.All);

    private static Template Build(Action<Template> build)
    {
        var template = new Template();
        build(template);
        return template;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_fires_on_its_minimal_bad_template(RuleCase rule)
    {
        var findings = Findings(Build(rule.Fires), rule.Control, rule.Profile);
        var finding = Assert.Single(findings);
        Assert.Equal(rule.Resource, finding.Resource);
        Assert.False(string.IsNullOrWhiteSpace(finding.Problem));
        Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_is_silent_on_its_minimal_good_template(RuleCase rule)
    {
        var findings = Findings(Build(rule.Passes), rule.Control, rule.Profile);
        Assert.True(findings.Count == 0, string.Join("\n", findings.Select(f => f.Format())));
    }

    [Fact]
    public void Every_rule_has_a_case_and_every_case_a_rule()
    {
        var rules = PolicyEngine.Rules.Select(r => r.Id).Order(StringComparer.Ordinal).ToArray();
        var cases = RuleCases.All.Select(c => c.Control).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(rules, cases);
        Assert.Equal(rules.Length, rules.Distinct().Count());
    }

    [Fact]
    public void Docs_table_lists_every_rule_with_its_enforcement()
    {
        // | id | severity | applicable | enforcement | what it checks | why |
        var rows = File.ReadAllLines(Path.Combine(TestStacks.RepoRoot, "docs", "controls.md"))
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length >= 7 && c[3] is "yes" or "no")
            .ToDictionary(c => c[1], c => c);
        var stage = new Settings.StageProfile(Protect: false, DisposableData: false, LogRetentionDays: 90);
        foreach (var rule in PolicyEngine.Rules)
        {
            Assert.True(rows.TryGetValue(rule.Id, out var row), $"docs/controls.md has no row for {rule.Id}");
            Assert.Equal("yes", row![3]);
            var expected = (rule.Enforce(Dev), rule.Enforce(stage), rule.Enforce(Prod)) switch
            {
                (Enforcement.Mandatory, Enforcement.Mandatory, Enforcement.Mandatory) => "mandatory",
                (Enforcement.Advisory, Enforcement.Advisory, Enforcement.Advisory) => "advisory",
                (Enforcement.Advisory, Enforcement.Advisory, Enforcement.Mandatory) => "mandatory where protected",
                (Enforcement.Advisory, Enforcement.Mandatory, Enforcement.Mandatory) => "mandatory where data is kept",
                var other => other.ToString(),
            };
            Assert.True(expected == row[4], $"{rule.Id}: docs say '{row[4]}', the engine enforces '{expected}'");
            Assert.Equal(rule.Severity.ToString().ToLowerInvariant(), row[2].ToLowerInvariant());
        }
        // A row marked applicable must be a rule of the engine; one marked not applicable must say why.
        foreach (var (id, row) in rows)
        {
            if (row[3] == "yes") Assert.Contains(id, PolicyEngine.ControlIds);
            else Assert.True(row[6].Length > 10, $"{id} is not applicable but the table does not say why");
        }
    }

    [Fact]
    public void The_fsbp_summary_states_each_controls_enforcement_and_why_an_advisory_one_is_a_choice()
    {
        // | control | severity | status | why |, in the "FSBP at a glance" section
        var section = File.ReadAllText(Path.Combine(TestStacks.RepoRoot, "docs", "controls.md")).Split("## FSBP at a glance")[1].Split("\n## ")[0];
        var rows = section.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Control", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray()).ToList();
        Assert.NotEmpty(rows);
        var stage = new Settings.StageProfile(Protect: false, DisposableData: false, LogRetentionDays: 90);
        foreach (var row in rows)
        {
            var rule = Assert.Single(PolicyEngine.Rules, r => r.Id == row[1]);
            var expected = (rule.Enforce(Dev), rule.Enforce(stage), rule.Enforce(Prod)) switch
            {
                (Enforcement.Mandatory, _, _) => "met by default",
                (Enforcement.Advisory, Enforcement.Mandatory, _) => "met where data is kept",
                (Enforcement.Advisory, Enforcement.Advisory, Enforcement.Mandatory) => "met where protected",
                _ => "advisory",
            };
            Assert.True(row[3].StartsWith(expected, StringComparison.Ordinal), $"{row[1]}: the summary says '{row[3]}', the engine enforces '{expected}'");
            if (expected == "advisory") Assert.True(row[4].Length > 10, $"{row[1]} is advisory but the summary does not say why");
        }
        // Every FSBP control the engine checks is in the table: all rules but the platform's own and those of other standards.
        string[] otherStandards = ["S3.7", "S3.14", "S3.17", "KMS.4", "CloudWatch.15", "CloudWatch.16", "CloudWatch.17"];
        var fsbp = PolicyEngine.Rules.Select(r => r.Id).Where(id => !id.StartsWith("PLATFORM.", StringComparison.Ordinal) && !otherStandards.Contains(id)).Distinct();
        Assert.Empty(fsbp.Except(rows.Select(r => r[1])));
    }

    [Fact]
    public void Stage_dependent_rules_are_mandatory_where_the_profile_protects_and_advisory_elsewhere()
    {
        var template = new Template();
        template.Add(new Instance("db", new InstanceArgs { InstanceClass = "db.t4g.micro", StorageEncrypted = true, DbSubnetGroupName = "db", BackupRetentionPeriod = 7 }));
        var prod = Run(template, Prod);
        var dev = Run(template, Dev);
        Assert.Contains(prod.Mandatory, f => f.Control == "RDS.5");
        Assert.Contains(prod.Mandatory, f => f.Control == "RDS.8");
        Assert.DoesNotContain(dev.Mandatory, f => f.Control is "RDS.5" or "RDS.8");
        Assert.Contains(dev.Advisory, f => f.Control == "RDS.5");
        Assert.Contains(dev.Advisory, f => f.Control == "RDS.8");
    }

    [Fact]
    public void Read_replicas_are_exempt_from_primary_only_controls()
    {
        var template = new Template();
        template.Add(new Instance("replica", new InstanceArgs { InstanceClass = "db.t4g.micro", ReplicateSourceDb = "db-1", StorageEncrypted = true, SkipFinalSnapshot = true }));
        var report = Run(template, Prod);
        Assert.DoesNotContain(report.Mandatory, f => f.Control is "RDS.5" or "RDS.11" or "RDS.18" or "PLATFORM.RDS.1");
        Assert.Contains(report.Mandatory, f => f.Control == "RDS.8");
    }

    [Fact]
    public void Bucket_rules_join_side_resources_to_their_own_bucket_only()
    {
        // The second bucket's public access block must not make the first one compliant.
        var template = new Template();
        template.AddBucket("first", new BucketParts { PublicAccessBlock = false });
        template.AddBucket("second");
        var finding = Assert.Single(Findings(template, "S3.8"));
        Assert.Equal("first", finding.Resource);
    }

    [Fact]
    public void A_literal_json_document_is_read_like_a_toJSON_one()
    {
        var template = new Template();
        template.Add(new Aws.Iam.Role("role", new Aws.Iam.RoleArgs
        {
            AssumeRolePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}""",
        }));
        Assert.Single(Findings(template, "PLATFORM.IAM.1"));
    }

    [Fact]
    public void A_finding_names_control_severity_enforcement_resource_type_and_fix()
    {
        var template = new Template();
        template.AddBucket("data", new BucketParts { RestrictPublicBuckets = false });
        var text = Assert.Single(Run(template).Mandatory, f => f.Control == "S3.8").Format();
        Assert.Contains("S3.8 (high, mandatory) data (aws:s3:Bucket):", text);
        Assert.Contains("fix: add aws:s3:BucketPublicAccessBlock", text);
    }

    [Fact]
    public void In_protected_stages_only_durable_buckets_must_be_protected()
    {
        var template = new Template();
        template.AddBucket("durable");
        template.AddBucket("inbox", new BucketParts { Lifecycle = false });
        template.Add(new Aws.S3.BucketLifecycleConfiguration("inbox-expiry", new Aws.S3.BucketLifecycleConfigurationArgs
        {
            Bucket = ((Aws.S3.Bucket)template.Find("inbox")!).Id,
            Rules = new[] { new Aws.S3.BucketLifecycleConfigurationRule { Id = "expire", Status = "Enabled", Filter = new Aws.S3.BucketLifecycleConfigurationRuleFilter(), Expiration = new Aws.S3.BucketLifecycleConfigurationRuleExpiration { Days = 2 } } },
        }));
        template.AddBucket("archive", new BucketParts { Lifecycle = false });
        template.Add(new Aws.S3.BucketLifecycleConfiguration("archive-expiry", new Aws.S3.BucketLifecycleConfigurationArgs
        {
            Bucket = ((Aws.S3.Bucket)template.Find("archive")!).Id,
            Rules = new[] { new Aws.S3.BucketLifecycleConfigurationRule { Id = "expire-tmp", Status = "Enabled", Filter = new Aws.S3.BucketLifecycleConfigurationRuleFilter { Prefix = "tmp/" }, Expiration = new Aws.S3.BucketLifecycleConfigurationRuleExpiration { Days = 2 } } },
        }));
        var site = template.AddBucket("site");
        template.Add(new Aws.CloudFront.Distribution("cdn", SiteDistribution(site, template.AddBucket("cf-logs", new BucketParts { LogTo = null }), site, template.AddOac())));

        Assert.Equal(["archive", "cf-logs", "durable", "logs"], Findings(template, "PLATFORM.REL.1", Prod).Select(f => f.Resource).Order(StringComparer.Ordinal));
        Assert.Empty(Findings(template, "PLATFORM.REL.1", Dev));
    }

    [Fact]
    public void Open_ingress_is_found_in_ec2_security_group_rules_too()
    {
        static Template With(string type) => Build(t => t.Add(new UngeneratedResource("rule", "aws:ec2/securityGroupRule:SecurityGroupRule", MapValue.From(
        [
            new("type", new StringValue(type)), new("securityGroupId", new StringValue("sg-1")), new("protocol", new StringValue("-1")),
            new("fromPort", new NumberValue(0)), new("toPort", new NumberValue(0)), new("cidrBlocks", new ListValue([new StringValue("0.0.0.0/0")])),
        ]))));
        Assert.Equal("rule", Assert.Single(Findings(With("ingress"), "EC2.19")).Resource);
        Assert.Single(Findings(With("ingress"), "EC2.18"));
        Assert.Empty(Findings(With("egress"), "EC2.19"));
    }

    [Fact]
    public void Inline_network_acl_ingress_and_inline_queue_policies_are_checked()
    {
        var acl = Build(t => t.Add(new Aws.Ec2.NetworkAcl("acl", new Aws.Ec2.NetworkAclArgs
        {
            VpcId = "vpc-1", SubnetIds = new[] { "subnet-a" },
            Ingress = new[] { new Aws.Ec2.NetworkAclIngress { RuleNo = 100, Action = "allow", Protocol = "tcp", FromPort = 3389, ToPort = 3389, CidrBlock = "0.0.0.0/0" } },
        })));
        Assert.Equal("acl", Assert.Single(Findings(acl, "EC2.21")).Resource);

        var queue = Build(t => t.Add(new Aws.Sqs.Queue("queue", new Aws.Sqs.QueueArgs
        {
            SqsManagedSseEnabled = true,
            Policy = Doc(new PolicyStatement { Principal = PolicyStatement.Anyone, Actions = ["sqs:SendMessage"], Resources = [PolicyStatement.Literal("*")] }),
        })));
        Assert.Equal("queue", Assert.Single(Findings(queue, "SQS.3")).Resource);
    }
}
