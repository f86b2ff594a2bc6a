namespace Platform.Automation.Tests.EndToEnd;

/// <summary>
/// Every input the console reads, broken the ways people break it: exit 2 with the file (or flag, or variable), the
/// line, what is wrong and the fix; never a stack trace; and nothing changed in the backend.
/// </summary>
public sealed class InputSurfaceTests
{
    private const string DevOnly = "stages:\n  - name: dev\n    stacks: [dev]\n";

    private static void Refused(World world, RunResult run, params string[] expected)
    {
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        foreach (var e in expected) Assert.Contains(e, run.All);
        Assert.Contains("fix:", run.All);
        Assert.DoesNotContain("   at ", run.All);
        Assert.DoesNotContain("Unexpected error", run.All);
        Assert.DoesNotContain(world.Invocations(), a => a[0] is "up" or "destroy" or "preview" or "refresh" || a is ["stack", "tag", "set", ..] || a is ["stack", "init", ..]);
    }

    /// <summary>A broken Pulumi.dev.yaml and what the refusal must say: a duplicate key, invalid YAML, a list at the root, a list as a key, config as a list.</summary>
    public static TheoryData<string, string[]> BrokenStackFiles => new()
    {
        { "config:\n  aws:region: eu-west-1\n  aws:region: eu-west-2\n", ["line 3", "'aws:region' appears twice"] },
        { "config:\n  aws:region: [eu-west-1\n", ["line 3", "not valid YAML"] },
        { "- aws:region\n- eu-west-1\n", ["line 1", "must be a YAML map", "not a list"] },
        { "config:\n  ? [aws, region]\n  : eu-west-1\n", ["line 2", "a list is used as a key"] },
        { "config:\n  - aws:region\n", ["line 2", "'config' must be a map"] },
    };

    [Theory]
    [MemberData(nameof(BrokenStackFiles))]
    public void Broken_stack_file_is_refused_by_every_command_that_reads_it(string content, string[] expected)
    {
        using var world = new World(DevOnly);
        File.WriteAllText(Path.Combine(world.Project, "Pulumi.dev.yaml"), content);

        foreach (var args in new[] { new[] { "plan" }, ["stacks"], ["destroy", "--stack", "dev"], ["up", "--stack", "dev"] })
        {
            var run = world.Run(args);
            Refused(world, run, ["Pulumi.dev.yaml", .. expected]);
        }
    }

    [Theory]
    [InlineData("runtime: yaml\n", "'name' is missing")]
    [InlineData("name: platform\nname: other\n", "'name' appears twice")]
    [InlineData("name: platform\nmain: no-such-directory\n", "no directory")]
    public void Broken_project_file_is_refused_naming_pulumi_yaml(string content, string expected)
    {
        using var world = new World(DevOnly);
        File.WriteAllText(Path.Combine(world.Project, "Pulumi.yaml"), content);

        Refused(world, world.Run("plan"), "Pulumi.yaml", expected);
        Refused(world, world.Run("promote"), "Pulumi.yaml", expected);
    }

    [Fact]
    public void Unreadable_or_malformed_rollout_and_allow_list_are_refused_and_a_named_allow_list_must_exist()
    {
        using var world = new World(DevOnly);
        var rollout = Path.Combine(world.Project, "rollout.yaml");
        File.Delete(rollout);
        Directory.CreateDirectory(rollout); // a directory where the file should be: it cannot be read

        Refused(world, world.Run("promote"), "rollout.yaml cannot be read");
        Refused(world, world.Run("destroy", "--stack", "dev"), "rollout.yaml cannot be read");
        Refused(world, world.Run("plan", "--rollout", Path.Combine(world.Project, "rollout.yml")), "rollout.yml does not exist");

        Directory.Delete(rollout);
        File.WriteAllText(rollout, "stages:\n  - name: dev\n    stacks: [dev]\n    stacks: [dev]\n");
        Refused(world, world.Run("stacks"), "rollout.yaml, line 4", "'stacks' appears twice");

        File.WriteAllText(rollout, DevOnly);
        Refused(world, world.Run("plan", "--allow-list", "plan-alow.yaml"), "plan-alow.yaml does not exist");
        File.WriteAllText(Path.Combine(world.Project, "plan-allow.yaml"), "allow:\n  - resource: network-*\n    propery: cidrBlock\n    reason: typo\n");
        Refused(world, world.Run("plan"), "plan-allow.yaml has 2 problem(s)", "unknown key 'propery'", "needs a property glob");
    }

    [Fact]
    public void Unusable_paths_are_refused_before_anything_runs()
    {
        using var world = new World(DevOnly);
        var file = Path.Combine(world.Root, "a-file");
        File.WriteAllText(file, "not a directory");

        Refused(world, world.RunWith(new Dictionary<string, string?>(), logDir: false, "plan", "--log-dir", Path.Combine(file, "logs")),
            "--log-dir", "the run log cannot be written there");
        Refused(world, world.RunWith(new Dictionary<string, string?> { ["PLATFORM_LOG_DIR"] = Path.Combine(file, "logs") }, logDir: false, "promote"),
            "PLATFORM_LOG_DIR", "the run log cannot be written there");
        Refused(world, world.Run("plan", "--out", file), "--out", "is a file");
        Refused(world, world.Run("plan", "--out", Path.Combine(file, "templates")), "the templates cannot be written there");
        Refused(world, world.Run("stacks", "--cwd", Path.Combine(world.Root, "nowhere")), "--cwd", "no such directory");
        Assert.Equal("not a directory", File.ReadAllText(file));
    }

    [Fact]
    public void Conflicting_or_malformed_flags_and_variables_are_refused()
    {
        using var world = new World(DevOnly);

        Refused(world, world.Run("drift", "--all", "--stack", "dev"), "--all and --stack contradict each other");
        Refused(world, world.Run("preview", "--all", "--stack", "dev"), "either --stack S (repeatable) or --all");
        Refused(world, world.Run("promote", "--allow-destructive", "database-instance"), "--allow-destructive database-instance", "not the URN of a resource");
        Refused(world, world.Run("up", "--stack", "dev", "--allow-destructive", "urn:pulumi:prod::platform::aws:rds/instance:Instance::database-instance"),
            "stacks this run updates (dev)");
        Refused(world, world.Run("up", "--stack", "dev", "--sts-endpoint", "sts.example"), "--sts-endpoint 'sts.example' is not an http(s) URL");
        Refused(world, world.RunWith(new Dictionary<string, string?> { ["PLATFORM_STS_ENDPOINT"] = "ftp://sts" }, logDir: true, "up", "--stack", "dev"),
            "PLATFORM_STS_ENDPOINT 'ftp://sts' is not an http(s) URL");
        Refused(world, world.Run("up", "--stack", new string('x', 5000)), "is not a valid stack name", "(5000 characters)");
        Assert.Empty(world.Invocations());
    }
}
