using Platform.Automation.Rollout;
using Platform.Automation.Stacks;
using Platform.Automation.Tests.EndToEnd;
using Platform.Infra.Model;
using YamlDotNet.RepresentationModel;

namespace Platform.Automation.Tests.Unit;

/// <summary>The rollout file's checks name stack outputs: only outputs the stack's compiled template exports.</summary>
public sealed class RolloutCheckTests
{
    private static readonly ProjectLayout Layout = new(Artifacts.RepoRoot);

    private static IEnumerable<string> Outputs(string stack) => Layout.Compile(stack).Template!.Outputs.Keys;

    private static RolloutFile Rollout(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return RolloutFile.Parse("rollout.yaml", (YamlMappingNode)stream.Documents[0].RootNode, Layout.Stacks);
    }

    [Fact]
    public void The_checked_in_rollout_file_checks_only_outputs_its_stacks_export()
    {
        var rollout = RolloutFile.Load(Path.Combine(Artifacts.RepoRoot, RolloutFile.DefaultFileName), Layout.Stacks);
        Assert.All(Layout.Stacks, stack => Assert.Empty(rollout.UnexportedOutputs(stack, Outputs(stack))));
        Assert.Contains(StackOutputs.VpcId, rollout.Stages[0].Checks.Outputs);
    }

    [Fact]
    public void A_check_on_an_output_the_template_does_not_export_names_the_file_the_stage_the_output_and_the_real_outputs()
    {
        var rollout = Rollout($"stages:\n  - name: dev\n    stacks: [dev]\n    checks:\n      outputs: [{StackOutputs.VpcId}, vpcID]\n      health: {{output: url}}\n");

        var problems = rollout.UnexportedOutputs("dev", Outputs("dev"));

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("rollout.yaml, stage 'dev': checks.outputs names 'vpcID', which stack 'dev' does not export (its outputs: ", problems[0]);
        Assert.StartsWith("rollout.yaml, stage 'dev': checks.health.output names 'url', which stack 'dev' does not export", problems[1]);
        Assert.All(problems, p => Assert.Contains($"{StackOutputs.Url("signatures")}, {StackOutputs.VpcId}, ", p));
        var error = Assert.Throws<BadInputException>(() => rollout.RefuseUnexportedOutputs(problems));
        Assert.Contains("2 checks of the stages name a stack output that is not exported", error.Message);
        Assert.All(problems, p => Assert.Contains(p, error.Message));
    }

    [Fact]
    public void A_stack_outside_the_rollout_has_no_checks()
    {
        var rollout = Rollout("stages:\n  - name: dev\n    stacks: [dev]\n    checks:\n      outputs: [nothing]\n");
        Assert.Empty(rollout.UnexportedOutputs("prod", Outputs("prod")));
    }
}
