using Xunit.Abstractions;

namespace Platform.Conformance.Tests;

/// <summary>Contract 2 in CI: every checked-in golden template (one per stack) conforms to the pinned @pulumi/aws.</summary>
public sealed class GoldenTemplateTests(ITestOutputHelper output)
{
    private static string GoldenDirectory => Path.Combine(TestPackage.RepoRoot, "tests", "golden");

    public static TheoryData<string> Stacks()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(GoldenDirectory))
            foreach (var file in Directory.EnumerateFiles(GoldenDirectory, "*.yaml").Order(StringComparer.Ordinal))
                data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void There_are_golden_templates_to_check()
    {
        Assert.True(Stacks().Count > 0, $"no golden templates in {GoldenDirectory}: the conformance check has nothing to check");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void A_golden_template_conforms(string file)
    {
        var problems = ConformanceChecker.Check(File.ReadAllText(Path.Combine(GoldenDirectory, file)), TestPackage.Schema, TestPackage.Version);
        foreach (var problem in problems) output.WriteLine(problem.ToString());
        Assert.True(problems.Count == 0, $"tests/golden/{file} has {problems.Count} conformance problems:\n{string.Join("\n", problems)}");
    }
}
