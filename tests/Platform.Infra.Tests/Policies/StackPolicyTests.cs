using Platform.Automation.Stacks;
using Platform.Infra.Policies;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests.Policies;

/// <summary>The real stacks: each compiles with zero mandatory violations; the engine's cost stays small.</summary>
public class StackPolicyTests
{
    private static readonly ProjectLayout Layout = new(TestStacks.RepoRoot);

    public static TheoryData<string> Stacks() => new(Layout.Stacks);

    private static CompileResult CompileStack(string stack) =>
        Layout.Compile(stack);

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Each_stack_compiles_with_no_mandatory_violation(string stack)
    {
        var result = CompileStack(stack);
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.NotNull(result.Policy);
        Assert.Empty(result.Policy!.Mandatory);
        Assert.Empty(result.Policy.Expired);
        Assert.All(result.Policy.Advisory, f => Assert.Equal(Enforcement.Advisory, f.Enforcement));
    }

    [Fact]
    public void Plugin_discovery_template_has_no_mandatory_violation()
    {
        var result = StackCompiler.Compile(new CompileRequest(Layout.ProjectName, null, new Dictionary<string, string>()));
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Empty(result.Policy!.Mandatory);
    }
}
