using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Automation.Tests.EndToEnd;

/// <summary>The built console against the fake pulumi: gates, the account guard, locks, interrupts, drift, destroy.</summary>
public sealed class SafetyTests
{
    private const string DevOnly = "stages:\n  - name: dev\n    stacks: [dev]\n";

    /// <summary>A world whose compiler prints a fixed template with a database (written by the test), instead of the real program.</summary>
    private static World DatabaseWorld(out Action<string> setEngine)
    {
        var dir = Directory.CreateTempSubdirectory("platform-e2e-db-").FullName;
        var script = Path.Combine(dir, "emit.sh");
        File.WriteAllText(script, "#!/bin/sh\ncat \"$(dirname \"$0\")/template.yaml\"\n");
        var world = new World(DevOnly, compiler: $"sh {script}");
        world.AlsoDelete(dir);
        setEngine = engine => File.WriteAllText(Path.Combine(dir, "template.yaml"), $$"""
            name: platform
            resources:
              data-subnets:
                type: aws:rds/subnetGroup:SubnetGroup
                properties:
                  subnetIds: [subnet-1, subnet-2]
              data-db:
                type: aws:rds/instance:Instance
                properties:
                  engine: {{engine}}
                  instanceClass: db.t4g.micro
                  allocatedStorage: 20
                  dbSubnetGroupName: ${data-subnets.name}
            outputs:
              vpcId: ${data-subnets.id}
            """);
        setEngine("postgres");
        return world;
    }

    [Fact]
    public void Gate_blocks_a_replacement_of_the_database_naming_its_urn_until_the_urn_is_allowed()
    {
        using var world = DatabaseWorld(out var setEngine);
        Assert.Equal(0, world.Run("promote").ExitCode);
        setEngine("mysql");
        var ups = world.Invocations().Count(a => a[0] == "up");

        var blocked = world.Run("promote");

        const string urn = "urn:pulumi:dev::platform::aws:rds/instance:Instance::data-db";
        Assert.Equal(ExitCodes.GateFailed, blocked.ExitCode);
        Assert.Contains($"replace of stateful resource {urn}", blocked.All);
        Assert.Contains("engine", blocked.All);
        Assert.Equal(ups, world.Invocations().Count(a => a[0] == "up"));
        Assert.Contains("postgres", world.State("dev")!.ToJsonString());

        var allowed = world.Run("promote", "--allow-destructive", urn);

        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("mysql", world.State("dev")!.ToJsonString());
    }

    [Fact]
    public void Preview_flags_the_database_replacement_in_the_typed_change_set()
    {
        using var world = DatabaseWorld(out var setEngine);
        Assert.Equal(0, world.Run("promote").ExitCode);
        setEngine("mysql");

        var run = world.Run("preview", "--stack", "dev");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("data-db", run.Stdout);
        Assert.Contains("STATEFUL REPLACE", run.Stdout);
        Assert.Contains("engine (replace)", run.Stdout);
    }

    [Fact]
    public void Account_guard_refuses_the_wrong_account_before_any_pulumi_call_for_that_stack_and_nothing_changes()
    {
        using var world = new World(DevOnly);
        world.CredentialsReach("arn:aws:iam::111111111111:role/platform-deployer", "999999999999");

        var run = world.Run("promote");

        Assert.Equal(ExitCodes.WrongAccount, run.ExitCode);
        Assert.Contains("111111111111", run.All);
        Assert.Contains("999999999999", run.All);
        Assert.DoesNotContain(world.CommandsFor("dev"), c => c is "preview" or "up" or "stack init");
        Assert.Null(world.State("dev"));

        var destroy = world.Run("destroy", "--stack", "dev");
        Assert.Equal(ExitCodes.WrongAccount, destroy.ExitCode);
        Assert.DoesNotContain("destroy", world.CommandsFor("dev"));
    }

    [Fact]
    public void Held_lock_gives_a_clear_error_for_diy_and_cloud_and_the_console_never_cancels_it()
    {
        using var world = new World(DevOnly);
        Assert.Equal(0, world.Pulumi("stack", "init", "dev", "--non-interactive").ExitCode);
        world.HoldLock("dev");

        var diy = world.Run("up", "--stack", "dev");

        Assert.Equal(ExitCodes.StackLocked, diy.ExitCode);
        Assert.Contains("Stack 'dev' is locked by another update", diy.All);
        Assert.Contains("alice@build-7", diy.All);
        Assert.Contains("pulumi cancel --stack dev", diy.All);
        Assert.Single(world.Locks("dev"));
        Assert.DoesNotContain("cancel", world.CommandsFor("dev"));
        Assert.Equal(0, world.ResourceCount("dev"));

        Directory.Delete(world.LockDir("dev"), true);
        world.Fault("dev", "lockHeld", "cloud");
        var cloud = world.Run("up", "--stack", "dev");
        Assert.Equal(ExitCodes.StackLocked, cloud.ExitCode);
        Assert.Contains("[409] Conflict", cloud.All);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);


    [Fact]
    public async Task Ctrl_c_during_an_update_sends_sigint_to_pulumi_which_releases_its_lock()
    {
        using var world = new World(DevOnly);
        world.Fault("dev", "slowMs", 400);
        using var console = world.Start(defaultSigint: true, "up", "--stack", "dev");
        console.StandardInput.Close();
        var stdout = console.StandardOutput.ReadToEndAsync();
        var stderr = console.StandardError.ReadToEndAsync();

        // Wait until pulumi holds the lock (the update is running), then interrupt the console only.
        var watch = Stopwatch.StartNew();
        while (world.Locks("dev").Length == 0 && !console.HasExited && watch.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(50);
        if (world.Locks("dev").Length != 1) Assert.Fail($"no lock appeared\n{await stdout}\n{await stderr}");
        Assert.Equal(0, kill(console.Id, 2));
        Assert.True(console.WaitForExit(TimeSpan.FromMinutes(2)));

        var output = await stderr + await stdout;
        Assert.True(console.ExitCode == ExitCodes.Interrupted, $"exit {console.ExitCode}\n{output}\n{string.Join("\n", world.InvocationRecords())}");
        Assert.Empty(world.Locks("dev"));
        var records = world.InvocationRecords();
        Assert.Contains(records, r => (string?)r["signal"] == "SIGINT");
        Assert.Contains(records, r => (string?)r["words"] == "up" && (int?)r["exit"] == 8);
        Assert.Contains("interrupted", output);
    }

    [Fact]
    public void Drift_exits_one_when_a_stack_drifted_and_zero_when_in_sync()
    {
        using var world = new World(DevOnly);
        Assert.Equal(0, world.Run("promote").ExitCode);

        var clean = world.Run("drift", "--stack", "dev");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("in sync", clean.Stdout);

        // The engine's refresh events: "refresh" before each step, the result (update/delete + diffs) after it.
        world.Fault("dev", "drift", new JsonArray("network-vpc.enableDnsHostnames", "network-vpc.tags"));
        world.Fault("dev", "gone", new JsonArray("database-params"));
        var drifted = world.Run("drift", "--all");
        Assert.Equal(ExitCodes.Drift, drifted.ExitCode);
        Assert.Contains("DRIFTED", drifted.Stdout);
        Assert.Contains("network-vpc (enableDnsHostnames, tags)", drifted.Stdout);
        Assert.Contains("database-params (deleted outside pulumi)", drifted.Stdout);
        Assert.DoesNotContain("without naming it", drifted.Stdout);
        Assert.Contains(world.Invocations(), a => a[0] == "refresh" && a.Contains("--preview-only") && a.Contains("--expect-no-changes"));
    }

    [Fact]
    public void Killed_update_names_the_lock_and_pending_creates_with_the_exact_commands_and_resume_works_once_they_ran()
    {
        using var world = new World(DevOnly);
        world.Fault("dev", "killOnce", true);

        var killed = world.Run("promote");

        Assert.Equal(ExitCodes.PulumiFailed, killed.ExitCode);
        Assert.Contains("`pulumi up` was interrupted (exit code 137: killed by signal 9", killed.All);
        var lockFile = Assert.Single(world.Locks("dev"));
        Assert.Contains(lockFile, killed.Stdout);
        Assert.Contains("a pending operation: creating urn:pulumi:dev::platform::", killed.Stdout);
        Assert.Contains("pulumi cancel --stack dev --yes", killed.Stdout);
        Assert.Contains("pulumi refresh --stack dev --yes --clear-pending-creates", killed.Stdout);

        // Resuming before the stack is cleaned up is refused with the same guidance, and changes nothing.
        var early = world.Run("promote", "--resume");
        Assert.Equal(ExitCodes.GateFailed, early.ExitCode);
        Assert.Contains("--clear-pending-creates", early.Stdout);
        Assert.Single(world.Locks("dev"));

        Assert.Equal(0, world.Pulumi("cancel", "--stack", "dev", "--yes", "--non-interactive").ExitCode);
        var refresh = world.Pulumi("refresh", "--stack", "dev", "--yes", "--clear-pending-creates", "--non-interactive");
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        var resumed = world.Run("promote", "--resume");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.True(world.ResourceCount("dev") > 20, resumed.ToString());
        Assert.Empty(world.Locks("dev"));
    }

    [Fact]
    public void Stale_preview_on_a_file_backend_where_every_history_version_is_zero_is_refused_before_up()
    {
        using var world = new World(DevOnly);
        Assert.Equal(0, world.Run("promote").ExitCode);
        var devFile = Path.Combine(world.Project, "Pulumi.dev.yaml");
        File.WriteAllText(devFile, File.ReadAllText(devFile).Replace("logRetentionDays: 30", "logRetentionDays: 60"));
        world.Commit("dev keeps logs 60 days");
        world.Fault("dev", "updateAfterPreview", true);
        var ups = world.Invocations().Count(a => a[0] == "up");

        var stale = world.Run("promote");

        Assert.Equal(ExitCodes.GateFailed, stale.ExitCode);
        Assert.Contains("the reviewed preview is stale", stale.All);
        Assert.Equal(ups, world.Invocations().Count(a => a[0] == "up"));
        Assert.All(JsonNode.Parse(world.Pulumi("stack", "history", "--json", "--stack", "dev").Stdout)!.AsArray(), h => Assert.Equal(0, (int)h!["version"]!));

        var again = world.Run("promote");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(ups + 1, world.Invocations().Count(a => a[0] == "up"));
    }

    [Fact]
    public void Destroy_of_a_protected_stage_is_refused_without_starting_pulumi()
    {
        using var world = new World();

        var plain = world.Run("destroy", "--stack", "prod");
        var forced = world.Run("destroy", "--stack", "prod", "--force");

        Assert.Equal(ExitCodes.GateFailed, plain.ExitCode);
        Assert.Contains("protected", plain.All);
        Assert.Equal(ExitCodes.GateFailed, forced.ExitCode);
        Assert.Contains("typed on a terminal", forced.All);
        Assert.Empty(world.Invocations());
    }

    [Fact]
    public void Destroy_of_an_unprotected_stack_deletes_everything()
    {
        using var world = new World(DevOnly);
        Assert.Equal(0, world.Run("promote").ExitCode);

        var run = world.Run("destroy", "--stack", "dev");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(0, world.ResourceCount("dev"));
        Assert.Contains(world.Invocations(), a => a[0] == "destroy" && a.Contains("--yes") && a.Contains("--skip-preview"));
    }

    [Fact]
    public void Canary_secret_in_stack_config_never_appears_in_templates_logs_reports_or_the_ledger()
    {
        const string canary = "canary-7f3e9c1d-do-not-leak";
        using var world = new World(DevOnly);
        var cipher = "fake:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(canary));
        File.AppendAllText(Path.Combine(world.Project, "Pulumi.dev.yaml"), $"  app:apiToken:\n    secure: {cipher}\n");
        world.Commit("secret");
        var outDir = Path.Combine(world.Root, "templates");

        var runs = new[]
        {
            world.Run("plan", "--out", outDir),
            world.Run("promote"),
            world.Run("preview", "--stack", "dev", "--verbose"),
            world.Run("stacks"),
            world.Run("drift", "--all", "--verbose"),
            world.Run("up", "--stack", "dev", "--verbose"),
        };

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        // The fake pulumi did decrypt it: the secret reached the program's environment, not its output.
        Assert.Contains("app:apiToken", File.ReadAllText(Path.Combine(world.Project, "Pulumi.dev.yaml")));
        var everything = string.Join("\n", runs.Select(r => r.All)) + world.AllLogs() +
                         string.Join("\n", Directory.GetFiles(outDir).Select(File.ReadAllText)) + (world.LedgerTag("dev") ?? "") +
                         File.ReadAllText(world.StateFile("dev"));
        Assert.NotEmpty(Directory.GetFiles(outDir));
        Assert.NotEmpty(world.AllLogs());
        Assert.DoesNotContain(canary, everything);
        Assert.DoesNotContain(cipher[5..], everything);
    }
}
