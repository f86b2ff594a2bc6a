namespace Platform.Automation.Tests.EndToEnd;

/// <summary>
/// One baseline per account (platform:baseline): plan and promote refuse an account with none or with two stacks
/// carrying it, naming every such account and its stacks at once, before any pulumi call.
/// </summary>
public sealed class AccountBaselineTests
{
    private const string Claim = "platform:baseline:\n    enabled: true";

    private static void SetClaim(World world, string stack, bool claims)
    {
        var file = Path.Combine(world.Project, $"Pulumi.{stack}.yaml");
        var text = File.ReadAllText(file);
        Assert.Contains(Claim, text);
        File.WriteAllText(file, text.Replace(Claim, $"platform:baseline:\n    enabled: {(claims ? "true" : "false")}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("promote")]
    public void An_account_with_two_baselines_and_one_with_none_are_both_refused_before_any_pulumi_call(string command)
    {
        // qa is a second stack in dev's account that also claims the baseline; stage's account has none.
        using var world = new World(extraStacks: [("qa", "111111111111")]);
        SetClaim(world, "stage", claims: false);

        var run = world.Run(command);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("2 accounts without exactly one stack carrying platform:baseline; nothing was run", run.All);
        Assert.Contains("account 111111111111: stacks dev, qa all carry the baseline", run.All);
        Assert.Contains("account 222222222222 (stacks stage): no stack carries the baseline", run.All);
        Assert.Contains("platform:baseline.enabled: true in exactly one stack per account", run.All);
        Assert.DoesNotContain("333333333333", run.All.Split("nothing was run")[1].Split("docs/configuration.md")[0]);
        Assert.DoesNotContain(world.Invocations(), a => a[0] is "up" or "preview" or "destroy" or "refresh");
    }

    [Fact]
    public void A_second_stack_in_an_account_passes_once_it_leaves_the_baseline_to_the_first()
    {
        using var world = new World(extraStacks: [("qa", "111111111111")]);
        SetClaim(world, "qa", claims: false);

        var run = world.Run("plan", "--stack", "qa");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.DoesNotContain("carry the baseline", run.All);
    }
}
