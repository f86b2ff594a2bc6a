using Platform.Automation.Stacks;
using Platform.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Platform.Infra.Tests;

/// <summary>
/// Runs exactly the compiler command of Pulumi.yaml, the way the Pulumi YAML runtime does: split like a shell (no
/// shell), in the program directory, with PULUMI_* in the environment, stdout read as the template.
/// </summary>
public class CompilerCommandTests
{
    private static ProjectLayout Layout => CompilerProcess.Layout;

    private static CompilerProcess.Run RunCompiler(IReadOnlyDictionary<string, string>? environment) => CompilerProcess.Start(environment);

    private static Dictionary<string, string> PulumiEnvironment(string stack, IReadOnlyDictionary<string, string> config) =>
        CompilerProcess.PulumiEnvironment(stack, config);

    [Theory]
    [MemberData(nameof(StackTemplateTests.Stacks), MemberType = typeof(StackTemplateTests))]
    public void Stdout_is_exactly_the_template_of_the_stack(string stack)
    {
        var run = RunCompiler(PulumiEnvironment(stack, Layout.ReadStack(stack).Values));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(StackTemplateTests.CompileStack(stack).Text, run.Stdout);
    }

    /// <summary>
    /// pulumi-yaml's LoadFromCompiler takes the project name from the template's top-level <c>name</c>, and otherwise
    /// from a Main.json, Main.yaml or Pulumi.yaml in the program directory; infra/ holds none of them, so every
    /// template (each stack's and plugin discovery's) must carry the name itself.
    /// </summary>
    [Theory]
    [MemberData(nameof(StackTemplateTests.Stacks), MemberType = typeof(StackTemplateTests))]
    [InlineData(null)]
    public void The_template_names_the_project_because_the_program_directory_does_not(string? stack)
    {
        Assert.All(new[] { "Main.json", "Main.yaml", "Pulumi.yaml" }, f => Assert.False(File.Exists(Path.Combine(Layout.ProgramDirectory, f))));
        var run = RunCompiler(stack is null ? null : PulumiEnvironment(stack, Layout.ReadStack(stack).Values));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var stream = new YamlStream();
        stream.Load(new StringReader(run.Stdout));
        var name = ((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("name")];
        Assert.Equal(Layout.ProjectName, ((YamlScalarNode)name).Value);
    }

    [Fact]
    public void Without_any_pulumi_variable_it_still_prints_a_template_for_plugin_discovery()
    {
        var run = RunCompiler(null);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var stream = new YamlStream();
        stream.Load(new StringReader(run.Stdout));
        var resources = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["resources"];
        Assert.NotEmpty(resources.Children);
        Assert.All(resources.Children.Values, r => Assert.Equal(Platform.Infra.Aws.AwsProvider.Version, ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)r)["options"])["version"]).Value));
    }

    [Fact]
    public void Bad_config_prints_every_problem_on_stderr_and_nothing_on_stdout()
    {
        var config = TestStacks.Config(c =>
        {
            c["aws:region"] = "nowhere";
            c["platform:secretCanary"] = "canary-7f3a9c";
            TestStacks.Set(c, "platform:network", "cidr", "10.0.0.0/8");
        });
        var run = RunCompiler(PulumiEnvironment("dev", config));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("error: stack 'dev' has 3 configuration problems", run.Stderr);
        Assert.Contains("aws:region", run.Stderr);
        Assert.Contains("platform:network.cidr", run.Stderr);
        Assert.Contains("platform:secretCanary", run.Stderr);
        Assert.DoesNotContain("canary-7f3a9c", run.Stderr);
    }

    [Fact]
    public void Malformed_pulumi_config_is_refused_without_echoing_it()
    {
        var environment = PulumiEnvironment("dev", new Dictionary<string, string>());
        environment["PULUMI_CONFIG"] = "{\"aws:region\": \"eu-west-1\", \"platform:db\": \"s3cr3t-canary";
        var run = RunCompiler(environment);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("PULUMI_CONFIG is not a JSON object of strings", run.Stderr);
        Assert.DoesNotContain("s3cr3t-canary", run.Stderr);
    }

    [Fact]
    public void The_command_is_split_the_way_pulumi_splits_it()
    {
        Assert.Equal(["sh", "compile.sh"], Layout.CompilerArguments);
        Assert.Equal(["dotnet", "a b.dll", "--x=\"y\""], Shlex.Split("dotnet 'a b.dll' \"--x=\\\"y\\\"\" # comment"));
    }
}
