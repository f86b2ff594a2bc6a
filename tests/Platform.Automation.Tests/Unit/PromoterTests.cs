using System.Text.Json;
using Moq;
using Platform.Automation.Accounts;
using Platform.Automation.Pulumi;
using Platform.Automation.Rollout;
using Serilog;
using YamlDotNet.RepresentationModel;

namespace Platform.Automation.Tests.Unit;

/// <summary>Orchestration against a Moq'd CLI driver and identity resolver.</summary>
public sealed class PromoterTests
{
    private static readonly string[] Stacks = ["dev", "stage", "prod"];
    private readonly Mock<IPulumiCli> _cli = new(MockBehavior.Strict);
    private readonly Mock<IAwsIdentityResolver> _identity = new();
    private readonly Mock<IHealthProbe> _probe = new();
    private readonly Dictionary<string, string> _tags = new();
    private readonly Dictionary<string, ChangeSet> _previews = new();
    private readonly List<string> _calls = [];

    public PromoterTests()
    {
        _cli.Setup(c => c.CheckVersionAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new Version(3, 260, 0));
        _cli.Setup(c => c.GetTagsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string s, CancellationToken _) => _tags.TryGetValue(s, out var t) ? new Dictionary<string, string> { [Ledger.TagName] = t } : new Dictionary<string, string>());
        _cli.Setup(c => c.SetTagAsync(It.IsAny<string>(), Ledger.TagName, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string s, string _, string v, CancellationToken _) => { _tags[s] = v; _calls.Add($"tag {s}"); }).Returns(Task.CompletedTask);
        _cli.Setup(c => c.EnsureStackAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        _cli.Setup(c => c.GetRecoveryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string s, CancellationToken _) => new StackRecovery(s, [], []));
        _cli.Setup(c => c.GetLastUpdateAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(new HistoryEntry(3, "update", "succeeded", null));
        _cli.Setup(c => c.PreviewAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string s, CancellationToken _) => _calls.Add($"preview {s}"))
            .ReturnsAsync((string s, CancellationToken _) => new EngineRunResult(_previews.GetValueOrDefault(s) ?? Changes(s, (ChangeKind.Create, "aws:ec2/vpc:Vpc", "network-vpc")), TimeSpan.Zero));
        _cli.Setup(c => c.UpAsync(It.IsAny<string>(), It.IsAny<UpdateOptions>(), It.IsAny<CancellationToken>()))
            .Callback((string s, UpdateOptions _, CancellationToken _) => _calls.Add($"up {s}"))
            .ReturnsAsync((string s, UpdateOptions _, CancellationToken _) => new EngineRunResult(ChangeSet.Empty(s), TimeSpan.Zero));
        _cli.Setup(c => c.GetOutputsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, JsonElement> { ["vpcId"] = JsonDocument.Parse("\"vpc-1\"").RootElement, ["url"] = JsonDocument.Parse("\"https://app.example.com\"").RootElement });
        _identity.Setup(i => i.ResolveAsync(It.IsAny<StackAwsAccess>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((StackAwsAccess a, CancellationToken _) => new CallerIdentity(a.AllowedAccountIds[0], "arn:aws:sts::x:assumed-role/d/s"));
    }

    private static ChangeSet Changes(string stack, params (ChangeKind Kind, string Type, string Name)[] changes) =>
        new(stack, changes.Select(c => new ResourceChange(c.Kind, $"urn:pulumi:{stack}::platform::{c.Type}::{c.Name}", c.Type, ["engine"], c.Kind == ChangeKind.Replace ? ["engine"] : [], false)).ToArray(),
            new Dictionary<string, int>(), "succeeded");

    private static RolloutFile Rollout(string yaml = "stages:\n  - name: dev\n    stacks: [dev]\n  - name: stage\n    stacks: [stage]\n  - name: prod\n    stacks: [prod]\n    approval: true\n")
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return RolloutFile.Parse("rollout.yaml", (YamlMappingNode)stream.Documents[0].RootNode, Stacks);
    }

    private static readonly ProgramVersion Version = new(new string('a', 40), false, Stacks.ToDictionary(s => s, VersionSource.Hash));

    private Promoter Promoter(params string[] approved) => new(_cli.Object, new AccountGuard(_identity.Object), new Ledger(_cli.Object),
        new Approver(approved.ToHashSet(), null), _probe.Object,
        s => new StackAwsAccess(s, "eu-west-1", null, [], [s switch { "dev" => "111111111111", "stage" => "222222222222", _ => "333333333333" }]),
        new LoggerConfiguration().CreateLogger());

    [Fact]
    public async Task Promote_stops_at_first_failing_stage_later_stages_not_run_report_names_stage_and_step()
    {
        _cli.Setup(c => c.UpAsync("stage", It.IsAny<UpdateOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PulumiCommandException("stage", "up", 255, "error: creating aws:ec2/vpc:Vpc: AccessDenied"));

        var report = await Promoter("prod").PromoteAsync(Rollout(), Version, new PromoteOptions(), CancellationToken.None);

        var failure = report.FirstFailure!;
        Assert.Equal(("stage", "stage", "up"), (failure.Stage, failure.Stack, failure.Step));
        Assert.Contains("AccessDenied", failure.Detail);
        Assert.Equal(ExitCodes.PulumiFailed, report.ExitCode);
        Assert.DoesNotContain("preview prod", _calls);
        Assert.Equal(StackStatus.NotRun, report.Outcomes.Single(o => o.Stack == "prod").Status);
        Assert.True(_tags.ContainsKey("dev"));
        Assert.False(_tags.ContainsKey("stage"));
    }

    [Fact]
    public async Task Promote_stage_runs_only_version_that_succeeded_in_previous_stage()
    {
        _tags["dev"] = Ledger.Format(new LedgerEntry(1, new string('b', 40), false, new string('d', 64), "dev", "r0", DateTimeOffset.UnixEpoch, null));

        var report = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(OnlyStack: "stage"), CancellationToken.None);

        Assert.Equal(ExitCodes.GateFailed, report.ExitCode);
        Assert.Equal("order", report.FirstFailure!.Step);
        Assert.Contains("has not succeeded there on dev (bbbbbbbbbbbb", report.FirstFailure.Detail);
        Assert.Empty(_calls);
    }

    [Fact]
    public async Task Up_when_caller_account_not_in_allowed_account_ids_refuses_before_any_pulumi_call()
    {
        _identity.Setup(i => i.ResolveAsync(It.Is<StackAwsAccess>(a => a.Stack == "dev"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CallerIdentity("999999999999", "arn:aws:iam::999999999999:user/x"));

        var report = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(), CancellationToken.None);

        Assert.Equal(ExitCodes.WrongAccount, report.ExitCode);
        Assert.Equal("account", report.FirstFailure!.Step);
        Assert.Contains("111111111111", report.FirstFailure.Detail);
        Assert.Contains("999999999999", report.FirstFailure.Detail);
        _cli.Verify(c => c.EnsureStackAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _cli.Verify(c => c.PreviewAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _cli.Verify(c => c.UpAsync(It.IsAny<string>(), It.IsAny<UpdateOptions>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Gate_when_change_replaces_stateful_resource_fails_naming_urn_unless_allowed()
    {
        _previews["dev"] = Changes("dev", (ChangeKind.Replace, "aws:rds/instance:Instance", "data-db"));
        const string urn = "urn:pulumi:dev::platform::aws:rds/instance:Instance::data-db";

        var blocked = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(To: "dev"), CancellationToken.None);
        Assert.Equal(ExitCodes.GateFailed, blocked.ExitCode);
        Assert.Equal("gates", blocked.FirstFailure!.Step);
        Assert.Contains(urn, blocked.FirstFailure.Detail);
        Assert.DoesNotContain("up dev", _calls);

        var allowed = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(To: "dev", AllowDestructive: [urn]), CancellationToken.None);
        Assert.Equal(ExitCodes.Ok, allowed.ExitCode);
        Assert.Contains("up dev", _calls);
    }

    [Fact]
    public async Task Gate_max_changes_refuses_a_larger_change_set()
    {
        _previews["dev"] = Changes("dev", (ChangeKind.Create, "aws:ec2/subnet:Subnet", "a"), (ChangeKind.Create, "aws:ec2/subnet:Subnet", "b"));
        var report = await Promoter().PromoteAsync(Rollout("stages:\n  - name: dev\n    stacks: [dev]\n    maxChanges: 1\n"), Version, new PromoteOptions(), CancellationToken.None);
        Assert.Equal(ExitCodes.GateFailed, report.ExitCode);
        Assert.Contains("2 resource changes exceed the stage's limit of 1", report.FirstFailure!.Detail);
    }

    [Fact]
    public async Task Approval_is_required_for_changes_but_passes_by_itself_when_nothing_changes()
    {
        var needs = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(), CancellationToken.None);
        Assert.Equal(("prod", "approval"), (needs.FirstFailure!.Stage, needs.FirstFailure.Step));
        Assert.DoesNotContain("up prod", _calls);

        _previews["prod"] = ChangeSet.Empty("prod");
        var unchanged = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(), CancellationToken.None);
        Assert.Equal(ExitCodes.Ok, unchanged.ExitCode);
        Assert.Equal(StackStatus.Unchanged, unchanged.Outcomes.Single(o => o.Stack == "prod").Status);
        Assert.DoesNotContain("up prod", _calls);
        Assert.True(_tags.ContainsKey("prod"));
    }

    [Fact]
    public async Task Approval_from_the_approve_flag_is_recorded_in_the_ledger()
    {
        var report = await Promoter("prod").PromoteAsync(Rollout(), Version, new PromoteOptions(), CancellationToken.None);
        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        Assert.Contains("(--approve)", Ledger.Parse("prod", _tags["prod"]).ApprovedBy);
    }

    [Fact]
    public async Task Resume_skips_stacks_already_at_the_version_and_runs_the_rest()
    {
        _tags["dev"] = Ledger.Format(new LedgerEntry(1, Version.Commit, false, Version.HashOf("dev"), "dev", "r0", DateTimeOffset.UnixEpoch, null));

        var report = await Promoter("prod").PromoteAsync(Rollout(), Version, new PromoteOptions(Resume: true), CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        Assert.Equal(StackStatus.AlreadyDone, report.Outcomes.Single(o => o.Stack == "dev").Status);
        Assert.DoesNotContain("preview dev", _calls);
        Assert.Contains("up stage", _calls);
    }

    [Fact]
    public async Task Resume_refuses_a_stack_with_pending_operations_until_refreshed()
    {
        const string create = "urn:pulumi:dev::platform::aws:rds/instance:Instance::database-instance";
        _cli.Setup(c => c.GetRecoveryAsync("dev", It.IsAny<CancellationToken>())).ReturnsAsync(new StackRecovery("dev", [],
            [new PendingOperation("creating", create, "aws:rds/instance:Instance"), new PendingOperation("updating", "urn:pulumi:dev::platform::aws:ec2/vpc:Vpc::network-vpc", "aws:ec2/vpc:Vpc")]));
        var report = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(Resume: true), CancellationToken.None);
        Assert.Equal(("dev", "stack"), (report.FirstFailure!.Stack, report.FirstFailure.Step));
        Assert.Contains($"creating {create}", report.FirstFailure.Detail);
        Assert.Contains("pulumi refresh --stack dev --yes --clear-pending-creates", report.FirstFailure.Fix);
        Assert.Contains("--import-pending-creates", report.FirstFailure.Fix);
        Assert.Empty(_calls);
    }

    [Fact]
    public async Task Promote_when_preview_stale_requires_repreview_on_cloud_and_diy_backends()
    {
        // Pulumi Cloud numbers its updates.
        var version = 3;
        _cli.Setup(c => c.GetLastUpdateAsync("dev", It.IsAny<CancellationToken>())).ReturnsAsync(() => new HistoryEntry(version++, "update", "succeeded", null));
        var report = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(To: "dev"), CancellationToken.None);
        Assert.Equal(ExitCodes.GateFailed, report.ExitCode);
        Assert.Contains("stale", report.FirstFailure!.Detail);
        Assert.DoesNotContain("up dev", _calls);

        // A DIY backend (file://, s3://) leaves every version at 0: the entry's times tell the updates apart.
        var second = 0;
        _cli.Setup(c => c.GetLastUpdateAsync("dev", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new HistoryEntry(0, "update", "succeeded", "", $"2026-08-21T10:00:0{second}.000Z", $"2026-08-21T10:00:0{second++}.000Z"));
        var diy = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(To: "dev"), CancellationToken.None);
        Assert.Equal(ExitCodes.GateFailed, diy.ExitCode);
        Assert.Contains("started 2026-08-21T10:00:00.000Z, now update succeeded started 2026-08-21T10:00:01.000Z", diy.FirstFailure!.Detail);
        Assert.DoesNotContain("up dev", _calls);

        // Nothing in between: the same entry twice, and the update goes ahead.
        _cli.Setup(c => c.GetLastUpdateAsync("dev", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HistoryEntry(0, "update", "succeeded", "", "2026-08-21T10:00:00.000Z", "2026-08-21T10:00:05.000Z"));
        var fresh = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(To: "dev"), CancellationToken.None);
        Assert.Equal(ExitCodes.Ok, fresh.ExitCode);
        Assert.Contains("up dev", _calls);
    }

    [Fact]
    public async Task Corrupt_ledger_stops_before_anything_runs_and_is_not_overwritten()
    {
        _tags["stage"] = "{not json";
        var report = await Promoter("prod").PromoteAsync(Rollout(), Version, new PromoteOptions(), CancellationToken.None);
        Assert.Equal(ExitCodes.BadInput, report.ExitCode);
        Assert.Equal("stage", report.FirstFailure!.Stack);
        Assert.Empty(_calls);
        Assert.Equal("{not json", _tags["stage"]);
    }

    [Fact]
    public async Task Concurrency_never_exceeds_the_stage_limit_and_a_failure_stops_new_starts()
    {
        var stacks = Enumerable.Range(1, 9).Select(i => $"a{i}").ToArray();
        var stream = new YamlStream();
        stream.Load(new StringReader($"stages:\n  - name: fleet\n    concurrency: 3\n    stacks: [{string.Join(",", stacks)}]\n"));
        var rollout = RolloutFile.Parse("rollout.yaml", (YamlMappingNode)stream.Documents[0].RootNode, stacks);
        var running = 0;
        var peak = 0;
        var gate = new object();
        _cli.Setup(c => c.UpAsync(It.IsAny<string>(), It.IsAny<UpdateOptions>(), It.IsAny<CancellationToken>()))
            .Returns(async (string s, UpdateOptions _, CancellationToken _) =>
            {
                lock (gate) peak = Math.Max(peak, ++running);
                await Task.Delay(20);
                lock (gate) running--;
                if (s == "a5") throw new PulumiCommandException(s, "up", 1, "boom");
                return new EngineRunResult(ChangeSet.Empty(s), TimeSpan.Zero);
            });
        var version = new ProgramVersion(Version.Commit, false, stacks.ToDictionary(s => s, _ => new string('e', 64)));
        var promoter = new Promoter(_cli.Object, new AccountGuard(_identity.Object), new Ledger(_cli.Object), new Approver(new HashSet<string>(), null),
            _probe.Object, s => new StackAwsAccess(s, "eu-west-1", null, [], ["444444444444"]), new LoggerConfiguration().CreateLogger());

        var report = await promoter.PromoteAsync(rollout, version, new PromoteOptions(), CancellationToken.None);

        Assert.InRange(peak, 1, 3);
        Assert.Equal("a5", report.FirstFailure!.Stack);
        Assert.Contains(report.Outcomes, o => o.Status == StackStatus.NotRun);
        Assert.Equal(9, report.Outcomes.Count);
    }

    [Fact]
    public async Task Post_checks_missing_output_and_unhealthy_url_fail_the_stack()
    {
        var missing = await Promoter().PromoteAsync(Rollout("stages:\n  - name: dev\n    stacks: [dev]\n    checks:\n      outputs: [vpcId, dbEndpoint]\n"), Version, new PromoteOptions(), CancellationToken.None);
        Assert.Equal(ExitCodes.PostCheckFailed, missing.ExitCode);
        Assert.Contains("dbEndpoint", missing.FirstFailure!.Detail);
        Assert.False(_tags.ContainsKey("dev"));

        _probe.SetupSequence(p => p.ProbeAsync(new Uri("https://app.example.com/health"), It.IsAny<CancellationToken>()))
            .ReturnsAsync((false, "HTTP 503")).ReturnsAsync((true, "HTTP 200"));
        var healthy = await Promoter().PromoteAsync(Rollout("stages:\n  - name: dev\n    stacks: [dev]\n    checks:\n      health: {output: url, path: /health, attempts: 3, intervalSeconds: 0}\n"), Version, new PromoteOptions(), CancellationToken.None);
        Assert.Equal(ExitCodes.Ok, healthy.ExitCode);

        _probe.Setup(p => p.ProbeAsync(It.IsAny<Uri>(), It.IsAny<CancellationToken>())).ReturnsAsync((false, "HTTP 502"));
        var sick = await Promoter().PromoteAsync(Rollout("stages:\n  - name: dev\n    stacks: [dev]\n    checks:\n      health: {output: url, attempts: 2, intervalSeconds: 0}\n"), Version, new PromoteOptions(), CancellationToken.None);
        Assert.Equal(ExitCodes.PostCheckFailed, sick.ExitCode);
        Assert.Contains("not healthy after 2 attempt(s) (last: HTTP 502)", sick.FirstFailure!.Detail);
    }

    [Fact]
    public async Task Up_when_the_update_starts_a_stateful_delete_the_preview_did_not_show_is_stopped()
    {
        _cli.Setup(c => c.UpAsync("dev", It.IsAny<UpdateOptions>(), It.IsAny<CancellationToken>()))
            .Returns(async (string s, UpdateOptions o, CancellationToken ct) =>
            {
                o.OnEvent!(EngineEvent.Parse("{\"sequence\":1,\"timestamp\":1,\"resourcePreEvent\":{\"metadata\":{\"op\":\"delete\",\"urn\":\"urn:pulumi:dev::platform::aws:s3/bucket:Bucket::logs\",\"type\":\"aws:s3/bucket:Bucket\"}}}")!);
                await Task.Delay(Timeout.Infinite, ct);
                return new EngineRunResult(ChangeSet.Empty(s), TimeSpan.Zero);
            });
        var report = await Promoter().PromoteAsync(Rollout(), Version, new PromoteOptions(To: "dev"), CancellationToken.None);
        Assert.Equal(ExitCodes.GateFailed, report.ExitCode);
        Assert.Contains("did not show", report.FirstFailure!.Detail);
    }
}
