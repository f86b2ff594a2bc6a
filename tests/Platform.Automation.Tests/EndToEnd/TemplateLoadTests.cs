namespace Platform.Automation.Tests.EndToEnd;

/// <summary>
/// The YAML language host's load rule for compiled templates (pulumi-yaml <c>LoadFromCompiler</c>): without a
/// top-level <c>name</c>, the template is refused unless the program directory holds a Main.json, Main.yaml or
/// Pulumi.yaml that names the project. The fake pulumi enforces it, so a compiler that forgets the name fails here.
/// </summary>
public class TemplateLoadTests
{
    /// <summary>A compiler command that prints a valid template with no <c>name</c>.</summary>
    private static readonly string Nameless = NamelessCompiler();

    private static string NamelessCompiler()
    {
        var script = Path.Combine(Directory.CreateTempSubdirectory("platform-nameless-").FullName, "compile.sh");
        File.WriteAllText(script, "printf 'description: no name\\nresources: {}\\n'\n");
        return $"sh {script}";
    }

    [Fact]
    public void A_template_without_a_name_is_refused_when_the_program_directory_names_no_project()
    {
        using var world = new World(compiler: Nameless);
        world.Pulumi("stack", "init", "dev", "--non-interactive");

        var run = world.Pulumi("preview", "--stack", "dev", "--non-interactive");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("compiler did not produce a valid template", run.All);
    }

    [Fact]
    public void A_template_without_a_name_loads_when_the_program_directory_has_a_pulumi_yaml_with_one()
    {
        using var world = new World(compiler: Nameless);
        var program = Path.Combine(world.Root, "program");
        Directory.CreateDirectory(program);
        File.WriteAllText(Path.Combine(program, "Main.yaml"), "name: platform\n");
        File.WriteAllText(Path.Combine(world.Project, "Pulumi.yaml"),
            $"name: platform\nmain: {program}\nruntime:\n  name: yaml\n  options:\n    compiler: {Nameless}\n");
        world.Pulumi("stack", "init", "dev", "--non-interactive");

        var run = world.Pulumi("preview", "--stack", "dev", "--non-interactive");

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public void The_platform_compiler_names_the_project_so_every_stack_loads()
    {
        using var world = new World();
        foreach (var stack in new[] { "dev", "stage", "prod" })
        {
            world.Pulumi("stack", "init", stack, "--non-interactive");
            var run = world.Pulumi("preview", "--stack", stack, "--non-interactive");
            Assert.True(run.ExitCode == 0, run.ToString());
        }
    }
}
