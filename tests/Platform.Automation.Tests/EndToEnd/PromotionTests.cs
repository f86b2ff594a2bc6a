using System.Text.Json.Nodes;

namespace Platform.Automation.Tests.EndToEnd;

/// <summary>The built console against the fake pulumi: promotion through the rollout.</summary>
public sealed class PromotionTests
{
    [Fact]
    public void Promote_through_three_stages_deploys_each_in_order_and_records_the_version_in_the_ledger()
    {
        using var world = new World();

        var run = world.Run("promote", "--approve", "prod");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var stack in new[] { "dev", "stage", "prod" })
        {
            Assert.True(world.ResourceCount(stack) > 20, $"{stack} has {world.ResourceCount(stack)} resources\n{run}");
            var ledger = JsonNode.Parse(world.LedgerTag(stack)!)!;
            Assert.Equal(world.Head(), (string)ledger["c"]!);
            Assert.Equal(stack, (string)ledger["s"]!);
        }
        Assert.Contains("(--approve)", world.LedgerTag("prod"));
        // Rollout order: every update of dev before stage's, stage's before prod's.
        var ups = world.Invocations().Where(a => a[0] == "up").Select(a => a[Array.IndexOf(a, "--stack") + 1]).ToList();
        Assert.Equal(["dev", "stage", "prod"], ups);
        Assert.Contains("deployed", run.Stdout);
    }

    [Fact]
    public void Promote_drives_the_cli_with_explicit_stack_cwd_non_interactive_event_logs_and_no_leaked_stack_variables()
    {
        using var world = new World(rollout: "stages:\n  - name: dev\n    stacks: [dev]\n");

        var run = world.Run("promote");

        Assert.True(run.ExitCode == 0, run.ToString());
        var records = world.InvocationRecords().Where(r => (string?)r["phase"] == "start").ToList();
        Assert.NotEmpty(records);
        foreach (var r in records)
        {
            var argv = r["argv"]!.AsArray().Select(a => (string)a!).ToList();
            Assert.Contains("--non-interactive", argv);
            Assert.Equal(world.Project, argv[argv.IndexOf("--cwd") + 1]);
            Assert.False((bool)r["sawPulumiStack"]!, string.Join(' ', argv));
            Assert.False((bool)r["sawPulumiConfig"]!, string.Join(' ', argv));
            if (argv[0] is "preview" or "up")
            {
                Assert.Equal("dev", argv[argv.IndexOf("--stack") + 1]);
                Assert.Contains("--event-log", argv);
                Assert.Equal("true", (string?)r["debugCommands"]);
            }
            if (argv[0] == "up") Assert.Equal(["up", "--yes", "--skip-preview"], argv.Take(3));
        }
    }

    [Fact]
    public void Promote_nine_accounts_in_one_stage_runs_at_most_three_at_once_and_deploys_all()
    {
        var stacks = Enumerable.Range(1, 9).Select(i => (Stack: $"acct{i}", Account: $"4000000000{i:00}")).ToList();
        var rollout = "stages:\n  - name: fleet\n    concurrency: 3\n    stacks: [" + string.Join(", ", stacks.Select(s => s.Stack)) + "]\n";
        using var world = new World(rollout, stacks);
        foreach (var (stack, _) in stacks) world.Fault(stack, "slowMs", 150);

        var run = world.Run("promote");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var (stack, _) in stacks)
        {
            Assert.True(world.ResourceCount(stack) > 20, $"{stack}\n{run}");
            Assert.NotNull(world.LedgerTag(stack));
        }
        var peak = PeakConcurrency(world, "up");
        Assert.InRange(peak, 2, 3);
    }

    /// <summary>The largest number of fake pulumi processes running <paramref name="command"/> at the same moment (from their start/exit records, in order).</summary>
    private static int PeakConcurrency(World world, string command)
    {
        var running = new HashSet<int>();
        var peak = 0;
        foreach (var r in world.InvocationRecords())
        {
            var pid = (int)r["pid"]!;
            if ((string?)r["phase"] == "start" && (string)r["argv"]![0]! == command)
            {
                running.Add(pid);
                peak = Math.Max(peak, running.Count);
            }
            else if ((string?)r["phase"] == "exit") running.Remove(pid);
        }
        return peak;
    }

    [Fact]
    public void Promote_crash_mid_rollout_stops_there_then_resume_finishes_without_rerunning_succeeded_stacks()
    {
        using var world = new World();
        world.Fault("stage", "crashOnce", true);

        var first = world.Run("promote", "--approve", "prod");

        Assert.Equal(ExitCodes.PulumiFailed, first.ExitCode);
        Assert.Contains("FAILED at stage stage, stack stage, step up", first.Stdout);
        Assert.Contains("crashed", first.All);
        Assert.DoesNotContain("preview", world.CommandsFor("prod"));
        Assert.Null(world.LedgerTag("prod"));
        var devBefore = world.CommandsFor("dev").Count;
        var devLedger = world.LedgerTag("dev");
        // `pulumi stack init` (passphrase provider) wrote its salt into the tracked stack files, as the real CLI does.
        Assert.StartsWith("encryptionsalt: v1:", File.ReadAllText(Path.Combine(world.Project, "Pulumi.dev.yaml")));

        var resumed = world.Run("promote", "--approve", "prod", "--resume");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var devAfter = world.CommandsFor("dev").Skip(devBefore).ToList();
        Assert.DoesNotContain("preview", devAfter);
        Assert.DoesNotContain("up", devAfter);
        Assert.Contains("already done", resumed.Stdout);
        Assert.Equal(devLedger, world.LedgerTag("dev"));
        Assert.True(world.ResourceCount("prod") > 20, resumed.ToString());
        foreach (var stack in new[] { "dev", "stage", "prod" })
        {
            var ledger = JsonNode.Parse(world.LedgerTag(stack)!)!;
            Assert.Equal(world.Head(), (string)ledger["c"]!);
            Assert.False((bool)ledger["d"]!, $"{stack}: the salt pulumi wrote made the version dirty");
        }
    }

    [Fact]
    public void Resume_after_a_fully_successful_promotion_does_nothing_and_says_so()
    {
        using var world = new World("stages:\n  - name: dev\n    stacks: [dev]\n  - name: stage\n    stacks: [stage]\n");
        var first = world.Run("promote");
        Assert.True(first.ExitCode == 0, first.ToString());
        var ledgers = new[] { "dev", "stage" }.Select(world.LedgerTag).ToList();
        var calls = world.Invocations().Count;

        var resumed = world.Run("promote", "--resume");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Nothing to resume", resumed.Stdout);
        Assert.DoesNotContain(world.Invocations().Skip(calls), a => a[0] is "preview" or "up" || a is ["stack", "init", ..] || a is ["stack", "tag", "set", ..]);
        Assert.Equal(ledgers, new[] { "dev", "stage" }.Select(world.LedgerTag));
    }

    [Fact]
    public void Promote_prod_without_approval_stops_at_the_approval_gate_and_changes_nothing_there()
    {
        using var world = new World();

        var run = world.Run("promote");

        Assert.Equal(ExitCodes.GateFailed, run.ExitCode);
        Assert.Contains("FAILED at stage prod, stack prod, step approval", run.Stdout);
        Assert.Contains("--approve prod", run.All);
        Assert.Equal(0, world.ResourceCount("prod"));
        Assert.DoesNotContain("up", world.CommandsFor("prod"));
    }

    [Fact]
    public void Promote_to_a_stage_whose_version_did_not_succeed_before_is_refused_then_unchanged_approval_passes_by_itself()
    {
        using var world = new World();
        Assert.Equal(0, world.Run("promote", "--to", "stage").ExitCode);
        // A new commit: `up --stack prod` must not take a version stage has not run.
        File.AppendAllText(Path.Combine(world.Project, "Pulumi.dev.yaml"), "\n# a change\n");
        File.WriteAllText(Path.Combine(world.Project, "Pulumi.stage.yaml"), File.ReadAllText(Path.Combine(world.Project, "Pulumi.stage.yaml")).Replace("logRetentionDays: 90", "logRetentionDays: 60"));
        world.Commit("stage retention 60");

        var up = world.Run("up", "--stack", "prod", "--approve", "prod");

        Assert.Equal(ExitCodes.GateFailed, up.ExitCode);
        Assert.Contains("only receives a version that succeeded in 'stage'", up.All);
        Assert.Equal(0, world.ResourceCount("prod"));

        Assert.Equal(0, world.Run("promote", "--to", "stage").ExitCode);
        Assert.Equal(0, world.Run("up", "--stack", "prod", "--approve", "prod").ExitCode);
        // Nothing left to change: prod needs no approval now.
        var again = world.Run("promote");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("unchanged", again.Stdout);
    }
}
