using Platform.Automation.Accounts;
using Platform.Automation.Pulumi;
using Platform.Automation.Rollout;
using Platform.Automation.Tests.EndToEnd;
using Serilog;

namespace Platform.Automation.Tests.Unit;

public sealed class DriverTests
{
    private static readonly string ProjectDirectory = Path.Combine(Path.GetTempPath(), "platform-project");

    private static readonly PulumiProcess Process = new(ProjectDirectory, new LoggerConfiguration().CreateLogger(), () => "/nowhere");

    [Fact]
    public void Arguments_are_a_list_with_explicit_stack_cwd_non_interactive_and_the_event_log()
    {
        var args = Process.BuildArguments(["up", "--yes", "--skip-preview", "--message", "a message; rm -rf /"], "prod", "/tmp/log.txt");
        Assert.Equal(["up", "--yes", "--skip-preview", "--message", "a message; rm -rf /", "--stack", "prod", "--cwd", ProjectDirectory,
            "--non-interactive", "--color", "never", "--event-log", "/tmp/log.txt"], args);
    }

    [Fact]
    public void Environment_never_carries_pulumi_stack_or_config_and_enables_the_event_log_flag()
    {
        Environment.SetEnvironmentVariable("PULUMI_STACK", "leaked");
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", "{}");
        try
        {
            var start = Process.BuildStartInfo("pulumi", ["preview"], eventLog: true);
            Assert.False(start.Environment.ContainsKey("PULUMI_STACK"));
            Assert.False(start.Environment.ContainsKey("PULUMI_CONFIG"));
            Assert.Equal("true", start.Environment["PULUMI_DEBUG_COMMANDS"]);
            Assert.Equal(["preview"], start.ArgumentList);
            Assert.False(start.UseShellExecute);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_STACK", null);
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
        }
    }

    [Fact]
    public void Missing_cli_is_a_typed_error_with_an_install_hint() =>
        Assert.Contains("get.pulumi.com", Assert.Throws<PulumiCliMissingException>(() => Process.ResolveExecutable()).Fix);

    [Theory]
    [InlineData("error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  file:///b/.pulumi/locks/x.json: created by a@b (pid 1) at t", 1, typeof(StackLockedException))]
    [InlineData("error: [409] Conflict: Another update is currently in progress.\nTo learn more ...", 255, typeof(StackLockedException))]
    [InlineData("error: no stack named 'qa' found", 6, typeof(StackNotFoundException))]
    [InlineData("error: no stack named 'qa' found", 255, typeof(StackNotFoundException))]
    [InlineData("error: no changes were expected for refresh but changes were proposed", 7, typeof(ChangesNotExpectedException))]
    [InlineData("error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables", 255, typeof(PulumiAuthenticationException))]
    [InlineData("error: getting credentials", 3, typeof(PulumiAuthenticationException))]
    [InlineData("error: update failed", 1, typeof(PulumiCommandException))]
    public void Failures_AreClassifiedFromStderr_WhateverTheExitCode(string stderr, int exit, Type expected)
    {
        var error = PulumiErrors.Classify("dev", "up", new CommandResult(exit, "", stderr, [], TimeSpan.Zero));
        Assert.IsType(expected, error);
        Assert.Contains(stderr.Split('\n')[0], error.StderrTail);
    }

    [Fact]
    public void Typed_change_set_from_event_log_lines_merges_replacement_steps_and_flags_stateful_ones()
    {
        var lines = new[]
        {
            """{"sequence":0,"timestamp":1,"preludeEvent":{"config":{"app:token":"[secret]"}}}""",
            """{"sequence":1,"timestamp":1,"resourcePreEvent":{"metadata":{"op":"same","urn":"urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev","type":"pulumi:pulumi:Stack"}}}""",
            """{"sequence":2,"timestamp":1,"resourcePreEvent":{"metadata":{"op":"create-replacement","urn":"urn:pulumi:dev::p::aws:rds/instance:Instance::db","type":"aws:rds/instance:Instance","keys":["engine"],"diffs":["engine","tags"],"detailedDiff":{"engine":{"diffKind":"update-replace","inputDiff":true}}},"planning":true}}""",
            """{"sequence":3,"timestamp":1,"resourcePreEvent":{"metadata":{"op":"replace","urn":"urn:pulumi:dev::p::aws:rds/instance:Instance::db","type":"aws:rds/instance:Instance","keys":["engine"],"diffs":["engine"]},"planning":true}}""",
            """{"sequence":4,"timestamp":1,"resourcePreEvent":{"metadata":{"op":"update","urn":"urn:pulumi:dev::p::aws:ec2/vpc:Vpc::vpc","type":"aws:ec2/vpc:Vpc","diffs":["tags"],"detailedDiff":null},"planning":true}}""",
            """{"sequence":5,"timestamp":1,"resourcePreEvent":{"metadata":{"op":"delete","urn":"urn:pulumi:dev::p::aws:ec2/subnet:Subnet::old","type":"aws:ec2/subnet:Subnet","old":{"protect":true}},"planning":true}}""",
            "not json",
            """{"sequence":6,"timestamp":1,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":1,"resourceChanges":{"replace":1,"update":1,"delete":1,"same":4},"PolicyPacks":{},"isPreview":true,"result":"succeeded"}}""",
            """{"sequence":7,"timestamp":1,"cancelEvent":{}}""",
        };
        var changes = ChangeSet.FromEvents("dev", lines.Select(EngineEvent.Parse).OfType<EngineEvent>());

        Assert.Equal(3, changes.Changes.Count);
        var db = changes.Changes[0];
        Assert.Equal((ChangeKind.Replace, "db"), (db.Kind, db.Name));
        Assert.Equal(["engine", "tags"], db.ChangedProperties);
        Assert.Equal(["engine"], db.ReplaceReasons);
        Assert.True(db.Stateful);
        Assert.False(changes.Changes[1].Stateful);
        Assert.True(changes.Changes[2].Protected);
        Assert.Equal(2, changes.StatefulDestructive.Count());
        Assert.Equal(4, changes.Summary["same"]);
        Assert.Equal("succeeded", changes.Result);
    }

    [Fact]
    public void Refresh_takes_each_result_from_the_outputs_event_where_the_engine_reports_it()
    {
        // The engine's refresh: "refresh" with no diff before each step, the result (RefreshStep.ResultOp) after it.
        const string vpc = "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::network-vpc";
        const string db = "urn:pulumi:dev::p::aws:rds/parameterGroup:ParameterGroup::database-params";
        const string subnet = "urn:pulumi:dev::p::aws:ec2/subnet:Subnet::network-a";
        var lines = new[]
        {
            """{"sequence":0,"timestamp":1,"preludeEvent":{"config":{}}}""",
            $$$"""{"sequence":1,"timestamp":1,"resourcePreEvent":{"metadata":{"op":"refresh","urn":"{{{vpc}}}","type":"aws:ec2/vpc:Vpc","provider":"","old":{"urn":"{{{vpc}}}","protect":false},"new":null,"detailedDiff":null,"logical":false},"planning":true}}""",
            $$$"""{"sequence":2,"timestamp":1,"resOutputsEvent":{"metadata":{"op":"update","urn":"{{{vpc}}}","type":"aws:ec2/vpc:Vpc","provider":"","old":{"urn":"{{{vpc}}}"},"new":{"urn":"{{{vpc}}}"},"diffs":["enableDnsHostnames","tags"],"detailedDiff":{"enableDnsHostnames":{"diffKind":"update","inputDiff":true},"tags.Owner":{"diffKind":"update","inputDiff":true}},"logical":false},"planning":true}}""",
            $$$"""{"sequence":3,"timestamp":1,"resourcePreEvent":{"metadata":{"op":"refresh","urn":"{{{subnet}}}","type":"aws:ec2/subnet:Subnet","provider":"","detailedDiff":null},"planning":true}}""",
            $$$"""{"sequence":4,"timestamp":1,"resOutputsEvent":{"metadata":{"op":"same","urn":"{{{subnet}}}","type":"aws:ec2/subnet:Subnet","provider":"","detailedDiff":null},"planning":true}}""",
            $$$"""{"sequence":5,"timestamp":1,"resourcePreEvent":{"metadata":{"op":"refresh","urn":"{{{db}}}","type":"aws:rds/parameterGroup:ParameterGroup","provider":"","detailedDiff":null},"planning":true}}""",
            $$$"""{"sequence":6,"timestamp":1,"resOutputsEvent":{"metadata":{"op":"delete","urn":"{{{db}}}","type":"aws:rds/parameterGroup:ParameterGroup","provider":"","new":null,"detailedDiff":null},"planning":true}}""",
            """{"sequence":7,"timestamp":1,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":1,"resourceChanges":{"same":1,"update":1,"delete":1},"PolicyPacks":{},"isPreview":true,"result":"succeeded"}}""",
            """{"sequence":8,"timestamp":1,"cancelEvent":{}}""",
        };

        var changes = ChangeSet.FromEvents("dev", lines.Select(EngineEvent.Parse).OfType<EngineEvent>());

        Assert.Equal([(ChangeKind.Update, "network-vpc"), (ChangeKind.Delete, "database-params")], changes.Changes.Select(c => (c.Kind, c.Name)));
        Assert.Equal(["enableDnsHostnames", "tags.Owner"], changes.Changes[0].ChangedProperties);
        Assert.Equal("network-vpc (enableDnsHostnames, tags.Owner)", Commands.Reports.Drifted(changes.Changes[0]));
        Assert.Equal("database-params (deleted outside pulumi)", Commands.Reports.Drifted(changes.Changes[1]));
    }

    [Fact]
    public void A_killed_update_is_described_with_its_signal_and_recovery_steps_name_every_command()
    {
        Assert.Equal("exit code 1", PulumiCommandException.Describe(1));
        Assert.StartsWith("exit code 137: killed by signal 9 (SIGKILL", PulumiCommandException.Describe(137));
        Assert.False(PulumiCommandException.Killed(255));

        var recovery = new StackRecovery("dev", ["/b/.pulumi/locks/organization/p/dev/1.json (created by a@b, pid 1, at t)"],
            [new PendingOperation("creating", "urn:pulumi:dev::p::aws:s3/bucket:Bucket::logs", "aws:s3/bucket:Bucket"),
             new PendingOperation("updating", "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::vpc", "aws:ec2/vpc:Vpc")]);
        var steps = recovery.Steps(killed: true, "platform promote --resume").Split('\n');

        Assert.Contains("the lock file /b/.pulumi/locks/organization/p/dev/1.json", recovery.Describe());
        Assert.Contains("a pending operation: updating urn:pulumi:dev::p::aws:ec2/vpc:Vpc::vpc", recovery.Describe());
        Assert.StartsWith("1. pulumi cancel --stack dev --yes", steps[0]);
        Assert.Equal("2. look in AWS for what was being created: logs", steps[1]);
        Assert.StartsWith("4. pulumi refresh --stack dev --yes --clear-pending-creates", steps[3]);
        Assert.Equal("5. platform promote --resume", steps[^1]);
        // A run that was not killed and left no lock needs no cancel; only updates pending need a plain refresh.
        var updates = new StackRecovery("dev", [], [recovery.Pending[1]]).Steps(killed: false, "again").Split('\n');
        Assert.Equal(["1. pulumi refresh --stack dev --yes   (reconciles the interrupted updates and deletes with AWS)", "2. again"], updates);
    }

    [Fact]
    public void Event_log_tailer_reads_whole_lines_by_offset_and_restarts_when_the_file_is_truncated()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "eventlog.txt");
        var tailer = new EventLogTailer(file);
        tailer.Poll();
        Assert.Empty(tailer.CurrentRun);

        File.WriteAllText(file, "{\"sequence\":0,\"timestamp\":1,\"preludeEvent\":{\"config\":{}}}\n{\"sequence\":1,\"timestamp\":1,\"summaryEv");
        tailer.Poll();
        Assert.Single(tailer.CurrentRun);
        File.AppendAllText(file, "ent\":{\"result\":\"succeeded\"}}\n{\"sequence\":2,\"timestamp\":1,\"cancelEvent\":{}}\n");
        tailer.Poll();
        Assert.Equal(["preludeEvent", "summaryEvent", "cancelEvent"], tailer.CurrentRun.Select(e => e.Kind));
        Assert.True(tailer.CurrentRun[^1].IsEndOfRun);

        // The next engine run truncates the file (O_TRUNC) and restarts the sequence.
        File.WriteAllText(file, "{\"sequence\":0,\"timestamp\":2,\"preludeEvent\":{\"config\":{}}}\n");
        tailer.Poll();
        Assert.Equal(2, tailer.Runs);
        Assert.Equal(["preludeEvent"], tailer.CurrentRun.Select(e => e.Kind));
    }

    [Fact]
    public void Ledger_round_trips_fits_in_a_tag_and_rejects_corrupt_entries()
    {
        var entry = new LedgerEntry(1, new string('a', 40), true, new string('f', 64), "production-eu", "20260821T100000Z-abcdef", DateTimeOffset.UnixEpoch, "a-very-long-user-name-indeed (--approve)");
        var text = Ledger.Format(entry);
        Assert.True(text.Length <= 256, text);
        Assert.Equal(entry with { ApprovedBy = Ledger.Parse("s", text).ApprovedBy }, Ledger.Parse("s", text));
        Assert.Throws<CorruptLedgerException>(() => Ledger.Parse("s", "{\"v\":1"));
        Assert.Throws<CorruptLedgerException>(() => Ledger.Parse("s", "{\"v\":2,\"c\":\"a\",\"t\":\"b\",\"s\":\"x\",\"r\":\"r\"}"));
        Assert.Contains("SHA-256", Assert.Throws<CorruptLedgerException>(() => Ledger.Parse("s", text.Replace(new string('f', 64), "xyz"))).Message);
    }

    [Fact]
    public async Task Account_guard_through_the_aws_sdk_against_a_configured_sts_endpoint_assumes_the_stack_role()
    {
        var world = Guid.NewGuid().ToString("N")[..8];
        Artifacts.Sts.Register(world, arn => arn.Contains("222222222222") ? "999999999999" : null);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", $"AKIA-{world}-000000000000");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "x");
        var guard = new AccountGuard(new StsIdentityResolver(Artifacts.Sts.Url));
        var dev = new StackAwsAccess("dev", "eu-west-1", null, [new AssumedRole("arn:aws:iam::111111111111:role/platform-deployer", "s", null)], ["111111111111"]);
        var stage = new StackAwsAccess("stage", "eu-west-1", null, [new AssumedRole("arn:aws:iam::222222222222:role/platform-deployer", "s", null)], ["222222222222"]);

        Assert.Equal("111111111111", (await guard.CheckAsync(dev, CancellationToken.None)).Account);
        var refused = await Assert.ThrowsAsync<WrongAccountException>(() => guard.CheckAsync(stage, CancellationToken.None));
        Assert.Contains("may only touch account 222222222222", refused.Message);
        Assert.Contains("account 999999999999", refused.Message);
        await Assert.ThrowsAsync<PlatformException>(() => guard.CheckAsync(stage with { AllowedAccountIds = [] }, CancellationToken.None));
    }
}
