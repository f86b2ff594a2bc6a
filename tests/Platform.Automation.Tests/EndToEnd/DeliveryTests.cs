using System.Text.Json.Nodes;

namespace Platform.Automation.Tests.EndToEnd;

/// <summary>
/// The main-branch flow of .github/workflows/deliver.yml against the fake pulumi: one job per stage, each running
/// <c>platform promote --to STAGE --resume --image signatures=DIGEST</c> with the digest the build pushed; prod's job
/// passes <c>--approve prod</c> once its environment's reviewers approved (docs/delivery.md).
/// </summary>
public sealed class DeliveryTests
{
    private static readonly string Built = "sha256:" + new string('a', 64);
    private static readonly string Other = "sha256:" + new string('b', 64);

    private static RunResult Job(World world, string stage, string digest, params string[] extra) =>
        world.Run(["promote", "--to", stage, "--resume", "--image", $"signatures={digest}", .. extra]);

    /// <summary>The image the stack's deployed task definition runs (the fake keeps each resource's inputs).</summary>
    private static string? DeployedImage(World world, string stack)
    {
        var definition = world.State(stack)?["resources"]?.AsArray()
            .FirstOrDefault(r => ((string?)r?["urn"])?.EndsWith("::signatures-app-task", StringComparison.Ordinal) == true);
        var text = definition?.ToJsonString() ?? "";
        return new[] { Built, Other }.FirstOrDefault(d => text.Contains(d, StringComparison.Ordinal));
    }

    private static string? ImageTag(World world, string stack)
    {
        var file = Path.Combine(world.BackendDir, ".pulumi", "stacks", "platform", stack + ".pulumi-tags");
        return File.Exists(file) ? (string?)JsonNode.Parse(File.ReadAllText(file))?["platform:image:signatures"] : null;
    }

    [Fact]
    public void A_digest_is_promoted_through_three_stages_prod_waits_for_approval_and_a_rerun_resumes()
    {
        using var world = new World();
        var stackFiles = new[] { "dev", "stage", "prod" }.ToDictionary(s => s, s => File.ReadAllText(Path.Combine(world.Project, $"Pulumi.{s}.yaml")));

        var dev = Job(world, "dev", Built);
        Assert.True(dev.ExitCode == 0, dev.ToString());
        Assert.Equal(Built, DeployedImage(world, "dev"));
        Assert.Equal(Built, ImageTag(world, "dev"));
        Assert.Null(world.State("stage"));

        var stage = Job(world, "stage", Built);
        Assert.True(stage.ExitCode == 0, stage.ToString());
        Assert.Contains("already done", stage.Stdout); // dev is in the ledger at this version: not run again
        Assert.Equal(Built, DeployedImage(world, "stage"));

        // Prod's job without the environment's approval: the approval gate stops it, nothing changes in prod.
        var unapproved = Job(world, "prod", Built);
        Assert.Equal(ExitCodes.GateFailed, unapproved.ExitCode);
        Assert.Contains("FAILED at stage prod, stack prod, step approval", unapproved.Stdout);
        Assert.Equal(0, world.ResourceCount("prod"));

        // Approved: the re-run resumes at prod; dev and stage are not previewed or updated again.
        var before = world.Invocations().Count;
        var approved = Job(world, "prod", Built, "--approve", "prod");
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal(Built, DeployedImage(world, "prod"));
        Assert.DoesNotContain(world.Invocations().Skip(before), a => a[0] is "preview" or "up" && a[Array.IndexOf(a, "--stack") + 1] is "dev" or "stage");
        foreach (var stack in new[] { "dev", "stage", "prod" })
        {
            var ledger = JsonNode.Parse(world.LedgerTag(stack)!)!;
            Assert.Equal(world.Head(), (string)ledger["c"]!);
            Assert.False((bool)ledger["d"]!, $"{stack}: writing the image made the version dirty");
        }
        Assert.Contains("(--approve)", world.LedgerTag("prod"));

        // The stack files are as they were (the digest lives in the state and the tags, not in a tracked file).
        foreach (var (stack, text) in stackFiles)
            Assert.EndsWith(text, File.ReadAllText(Path.Combine(world.Project, $"Pulumi.{stack}.yaml")));

        // Re-running the whole delivery of the same commit and digest changes nothing and says so.
        var rerun = Job(world, "prod", Built, "--approve", "prod");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("Nothing to resume", rerun.Stdout);
    }

    [Fact]
    public void A_stage_refuses_a_digest_its_previous_stage_did_not_run()
    {
        using var world = new World();
        Assert.Equal(0, Job(world, "dev", Built).ExitCode);

        var run = world.Run("up", "--stack", "stage", "--image", $"signatures={Other}");

        Assert.Equal(ExitCodes.GateFailed, run.ExitCode);
        Assert.Contains("stage 'stage' only receives a version that succeeded in 'dev'", run.All);
        Assert.Null(world.State("stage"));
    }

    [Fact]
    public void Without_an_image_a_stack_keeps_the_one_it_runs()
    {
        using var world = new World("stages:\n  - name: dev\n    stacks: [dev]\n");
        Assert.Equal(0, Job(world, "dev", Built).ExitCode);

        var preview = world.Run("preview", "--stack", "dev");
        var promote = world.Run("promote");

        Assert.True(preview.ExitCode == 0, preview.ToString());
        Assert.Contains("dev: no changes", preview.Stdout); // the running service is neither removed nor changed
        Assert.True(promote.ExitCode == 0, promote.ToString());
        Assert.Equal(Built, DeployedImage(world, "dev"));
    }

    [Theory]
    [InlineData("signatures=latest", "is not SERVICE=sha256:<64 lower-case hex digits>")]
    [InlineData("signatures=sha256:abc", "is not SERVICE=sha256:<64 lower-case hex digits>")]
    [InlineData("payments=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "no stack of this run (dev, stage, prod) has a container service of that name")]
    public void A_bad_image_is_refused_before_anything_runs(string image, string message)
    {
        using var world = new World();

        var run = world.Run("promote", "--image", image);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(message, run.All);
        Assert.DoesNotContain(world.Invocations(), a => a[0] is "preview" or "up" || a is ["config", ..] || a is ["stack", "tag", "set", ..] || a is ["stack", "init", ..]);
    }
}
