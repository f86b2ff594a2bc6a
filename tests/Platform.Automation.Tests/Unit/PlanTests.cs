using Platform.Automation.Plan;
using Platform.Automation.Rollout;
using Platform.Automation.Stacks;
using Platform.Automation.Tests.EndToEnd;
using YamlDotNet.RepresentationModel;

namespace Platform.Automation.Tests.Unit;

public sealed class PlanTests
{
    private static StackShape Shape(string stack)
    {
        var layout = new ProjectLayout(Artifacts.RepoRoot);
        var result = layout.Compile(stack);
        var access = Accounts.StackAwsAccess.From(layout.ReadStack(stack));
        return EnvironmentDiff.Shape(stack, result.Template!, access.AllowedAccountIds, access.Region);
    }

    [Fact]
    public void Environment_diff_compares_resources_by_logical_name_normalising_stack_account_and_region()
    {
        var differences = EnvironmentDiff.Compare([Shape("dev"), Shape("prod")], AllowList.Empty);

        Assert.Contains(differences, d => d.Resource == "network-vpc" && d.Property == "cidrBlock" && d.Values["dev"] == "10.10.0.0/16");
        Assert.Contains(differences, d => d.Property is null && d.Values["dev"] is null && d.Values["prod"] == "present");
        // Names carry the stack, ARNs the account: normalised, they are not differences.
        Assert.DoesNotContain(differences, d => d.Values.Values.Any(v => v?.Contains("platform-dev", StringComparison.Ordinal) == true));
        Assert.All(differences, d => Assert.False(d.Explained));
    }

    [Fact]
    public void The_checked_in_allow_list_explains_every_difference_of_the_checked_in_stacks()
    {
        var allow = AllowList.Load(Path.Combine(Artifacts.RepoRoot, AllowList.DefaultFileName), required: true);
        var differences = EnvironmentDiff.Compare([Shape("dev"), Shape("stage"), Shape("prod")], allow);
        Assert.NotEmpty(differences);
        // A new difference between stages needs a reason in plan-allow.yaml (or it is a mistake).
        var unexplained = differences.Where(d => !d.Explained).Select(d => $"{d.Resource} {d.Property}").ToList();
        Assert.True(unexplained.Count == 0, "unexplained: " + string.Join("; ", unexplained));
    }

    [Fact]
    public void The_plan_reports_each_stacks_advisory_findings_and_plain_http_only_where_dev_has_no_certificate()
    {
        var layout = new ProjectLayout(Artifacts.RepoRoot);
        var compiled = new[] { "dev", "prod" }.Select(stack => (stack, layout.Compile(stack))).ToList();
        var rows = Commands.PlanCommand.FindingRows(compiled);

        Assert.Contains(rows, r => r is { Stack: "dev", Control: "ELB.1", Verdict: "advisory", Resource: "signatures-app-http" });
        Assert.DoesNotContain(rows, r => r.Stack == "prod" && r.Control is "ELB.1" or "ELB.18");
        Assert.Contains(rows, r => r is { Stack: "prod", Control: "RDS.23", Resource: "database-instance" });
    }

    [Fact]
    public void The_plan_lists_each_stacks_alarms_with_the_stage_thresholds_and_the_slo_alerts()
    {
        var layout = new ProjectLayout(Artifacts.RepoRoot);
        var rows = new[] { "dev", "prod" }.SelectMany(stack => AlarmReport.Rows(stack, layout.Compile(stack).Template!)).ToList();

        // dev alerts quietly, prod as standard (platform:monitoring.preset follows the profile).
        Assert.Contains(rows, r => r is { Stack: "dev", Kind: "alarm", Alarm: "database-cpu", Fires: "> 90, 3 of 3 x 300 s" });
        Assert.Contains(rows, r => r is { Stack: "prod", Kind: "alarm", Alarm: "database-cpu", Fires: "> 80, 3 of 3 x 300 s" });
        Assert.Contains(rows, r => r is { Stack: "prod", Kind: "alarm", Alarm: "signatures-alb-5xx" } && r.Watches.StartsWith("100 * FILL(m1, 0) / m2", StringComparison.Ordinal));
        Assert.Contains(rows, r => r is { Stack: "prod", Kind: "alarm", Alarm: "web-a-site-cdn-5xx" } && r.Fires.EndsWith("in us-east-1", StringComparison.Ordinal));
        var slo = Assert.Single(rows, r => r is { Stack: "prod", Kind: "SLO", Alarm: "signatures-slo-availability-fast" });
        Assert.Equal("all of 2 in ALARM", slo.Fires);
        Assert.Contains("availability objective 99.9 %", slo.Watches);
        // The windows of an SLO alert are its parts, not rows of their own.
        Assert.DoesNotContain(rows, r => r.Alarm.EndsWith("-long", StringComparison.Ordinal) || r.Alarm.EndsWith("-short", StringComparison.Ordinal));
    }

    [Fact]
    public void The_plan_reports_each_stages_recovery_objectives_and_how_every_resource_keeping_data_meets_them()
    {
        var layout = new ProjectLayout(Artifacts.RepoRoot);
        var rows = new[] { "dev", "stage", "prod" }.SelectMany(stack =>
        {
            var result = layout.Compile(stack);
            return ResilienceReport.Rows(stack, result.Settings!, result.Template!);
        }).ToList();

        Assert.Equal(["database-instance", "signatures-images-bucket"], rows.Where(r => r.Stack == "dev").Select(r => r.Resource));
        Assert.All(rows.Where(r => r.Stack == "dev"), r => Assert.Equal("not protected (by design)", r.Verdict));
        Assert.Equal("object versions in the stack's region only", rows.Single(r => r is { Stack: "dev", Resource: "signatures-images-bucket" }).Protection);

        var database = Assert.Single(rows, r => r is { Stack: "prod", Resource: "database-instance" });
        Assert.Equal("RPO 4 h, RTO 4 h, DR eu-central-1", database.Objectives);
        Assert.Contains("AWS Backup every 4 h, kept 35 d, copied to eu-central-1", database.Protection);
        Assert.Contains("RDS backup replication to eu-central-1", database.Protection);
        Assert.Contains("restore drill cron(0 5 ? * SUN *)", database.Protection);
        Assert.Contains("alerts: alarm topic", database.Protection);
        Assert.StartsWith("RPO met", database.Verdict);

        Assert.Contains("S3 replication to eu-central-1 with RTC", Assert.Single(rows, r => r is { Stack: "prod", Resource: "signatures-images-bucket" }).Protection);
        var stage = Assert.Single(rows, r => r is { Stack: "stage", Resource: "signatures-images-bucket" });
        Assert.Contains("S3 replication to eu-central-1 without RTC", stage.Protection);
        Assert.Contains("AWS Backup every 24 h", stage.Protection);
    }

    [Fact]
    public void The_checked_in_rollout_file_is_valid_and_puts_prod_last_with_approval()
    {
        var layout = new ProjectLayout(Artifacts.RepoRoot);
        var rollout = RolloutFile.Load(Path.Combine(Artifacts.RepoRoot, RolloutFile.DefaultFileName), layout.Stacks);
        Assert.Equal(["dev", "stage", "prod"], rollout.Stages.Select(s => s.Name));
        Assert.True(rollout.Stages[^1].RequiresApproval);
        Assert.True(rollout.Stages[^1].Protected);
    }

    [Fact]
    public void Rollout_file_reports_every_problem_at_once()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("stages:\n  - name: a\n    stacks: []\n    concurrency: 0\n  - name: a\n    stacks: [x, y]\n    colour: blue\n"));
        var error = Assert.Throws<BadInputException>(() => RolloutFile.Parse("rollout.yaml", (YamlMappingNode)stream.Documents[0].RootNode, ["x"]));
        Assert.Contains("has no stacks", error.Message);
        Assert.Contains("concurrency must be at least 1", error.Message);
        Assert.Contains("stage 'a' is defined 2 times", error.Message);
        Assert.Contains("unknown stack 'y'", error.Message);
        Assert.Contains("unknown key 'colour'", error.Message);
    }

    [Fact]
    public void Rollout_file_orders_stages_by_after_and_rejects_branches()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("stages:\n  - name: prod\n    after: stage\n    stacks: [p]\n  - name: dev\n    after: null\n    stacks: [d]\n  - name: stage\n    after: dev\n    stacks: [s]\n"));
        var rollout = RolloutFile.Parse("r.yaml", (YamlMappingNode)stream.Documents[0].RootNode, ["d", "s", "p"]);
        Assert.Equal(["dev", "stage", "prod"], rollout.Stages.Select(s => s.Name));

        var branch = new YamlStream();
        branch.Load(new StringReader("stages:\n  - name: dev\n    stacks: [d]\n  - name: eu\n    after: dev\n    stacks: [s]\n  - name: us\n    after: dev\n    stacks: [p]\n"));
        Assert.Contains("one ordered chain", Assert.Throws<BadInputException>(() => RolloutFile.Parse("r.yaml", (YamlMappingNode)branch.Documents[0].RootNode, ["d", "s", "p"])).Message);
    }
}
