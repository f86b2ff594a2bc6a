namespace Platform.Automation.Tests.EndToEnd;

/// <summary>Bad input: a clear error, exit code 2 (3 for the CLI), and nothing changed (no mutating pulumi call at all).</summary>
public sealed class BadInputTests
{
    private static void NothingChanged(World world) =>
        Assert.DoesNotContain(world.Invocations(), a => a[0] is "up" or "destroy" or "preview" or "refresh" || a is ["stack", "tag", "set", ..] || a is ["stack", "init", ..]);

    [Theory]
    [InlineData("preview", "--stack", "nope")]
    [InlineData("up", "--stack", "nope")]
    [InlineData("drift", "--stack", "nope")]
    [InlineData("destroy", "--stack", "nope")]
    [InlineData("plan", "--stack", "nope")]
    public void Unknown_stack_is_refused_listing_the_known_ones(params string[] args)
    {
        using var world = new World();
        var run = world.Run(args);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("Unknown stack 'nope'", run.All);
        Assert.Contains("dev, prod, stage", run.All);
        NothingChanged(world);
    }

    [Theory]
    [InlineData("promote", "--to", "qa")]
    [InlineData("promote", "--approve", "qa")]
    public void Unknown_stage_is_refused(params string[] args)
    {
        using var world = new World();
        var run = world.Run(args);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("qa", run.All);
        Assert.Contains("dev, stage, prod", run.All);
        NothingChanged(world);
        Assert.Empty(world.Invocations());
    }

    [Theory]
    [InlineData("stages:\n  - name: dev\n    after: prod\n    stacks: [dev]\n  - name: stage\n    after: dev\n    stacks: [stage]\n  - name: prod\n    after: stage\n    stacks: [prod]\n", "cycle: dev -> stage -> prod -> dev")]
    [InlineData("stages:\n  - name: dev\n    stacks: [dev, dev]\n", "stack 'dev' appears more than once")]
    [InlineData("stages:\n  - name: dev\n    stacks: [dev]\n  - name: prod\n    stacks: [prod, dev]\n", "stack 'dev' appears more than once")]
    [InlineData("stages:\n  - name: dev\n    stacks: [dev, qa]\n", "unknown stack 'qa'")]
    [InlineData("stages:\n  - name: dev\n    stacks: []\n", "has no stacks")]
    [InlineData("stages:\n  - name: dev\n    stacks: [dev]\n  - name: prod\n    after: nowhere\n    stacks: [prod]\n", "after unknown stage 'nowhere'")]
    public void BadRolloutFile_IsRefused_BeforeAnyPulumiCall(string rollout, string expected)
    {
        using var world = new World(rollout);
        var run = world.Run("promote");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.All);
        Assert.Contains("nothing was run", run.All);
        Assert.Empty(world.Invocations());
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("promote")]
    public void A_rollout_check_on_an_output_the_stack_does_not_export_is_refused_before_any_pulumi_call(string command)
    {
        using var world = new World("stages:\n  - name: dev\n    stacks: [dev]\n    checks:\n      outputs: [vpcId, vpcID]\n");
        var run = world.Run(command);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("rollout.yaml, stage 'dev': checks.outputs names 'vpcID', which stack 'dev' does not export (its outputs: ", run.All);
        Assert.Contains("signatures-url, vpcId, web-a-site-bucketArn", run.All);
        Assert.Empty(world.Invocations());
    }

    [Fact]
    public void Corrupt_ledger_stops_the_promotion_and_is_never_overwritten()
    {
        using var world = new World("stages:\n  - name: dev\n    stacks: [dev]\n");
        Assert.Equal(0, world.Run("promote").ExitCode);
        Assert.Equal(0, world.Pulumi("stack", "tag", "set", "platform:ledger", "{\"v\":1,\"c\":", "--stack", "dev").ExitCode);
        File.AppendAllText(Path.Combine(world.Project, "Pulumi.dev.yaml"), "\n# a new commit\n");
        world.Commit("next");
        var ups = world.Invocations().Count(a => a[0] == "up");

        var run = world.Run("promote");
        var stacks = world.Run("stacks");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("ledger of stack 'dev' is corrupt", run.All);
        Assert.Contains("pulumi stack tag get platform:ledger --stack dev", run.All);
        Assert.Equal("{\"v\":1,\"c\":", world.LedgerTag("dev"));
        Assert.Equal(ups, world.Invocations().Count(a => a[0] == "up"));
        Assert.Equal(ExitCodes.BadInput, stacks.ExitCode);
        Assert.Contains("CORRUPT", stacks.Stdout);
    }

    [Fact]
    public void Cli_too_old_is_refused_naming_the_version_needed()
    {
        using var world = new World();
        File.WriteAllText(Path.Combine(world.Bin, "pulumi"), $"#!/bin/sh\nFAKE_PULUMI_VERSION=3.150.0 exec dotnet \"{Artifacts.FakePulumi}\" \"$@\"\n");

        var run = world.Run("promote");

        Assert.Equal(ExitCodes.CliUnavailable, run.ExitCode);
        Assert.Contains("pulumi 3.150.0 is too old", run.All);
        Assert.Contains("3.211.0", run.All);
        NothingChanged(world);
    }

    [Fact]
    public void Cli_missing_gives_an_install_hint_and_plan_still_works()
    {
        using var world = new World();
        File.Delete(Path.Combine(world.Bin, "pulumi"));

        var run = world.RunWith(new Dictionary<string, string?> { ["PATH"] = world.Bin }, logDir: true, "preview", "--stack", "dev");
        var plan = world.RunWith(new Dictionary<string, string?> { ["PATH"] = world.Bin }, logDir: true, "plan");

        Assert.Equal(ExitCodes.CliUnavailable, run.ExitCode);
        Assert.Contains("pulumi CLI was not found", run.All);
        Assert.Contains("get.pulumi.com", run.All);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("aws:ec2/vpc:Vpc", plan.Stdout);
    }
}
