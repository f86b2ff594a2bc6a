using Platform.Infra.Model;
using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

/// <summary>Logical names: each resource belongs to one service or one stack-wide component, and services cannot take a component's name.</summary>
public class ComponentNameTests
{
    public static TheoryData<string> Components => [.. ComponentNames.All];

    [Fact]
    public void Every_resource_of_the_discovery_stack_starts_with_a_service_name_or_a_component_name()
    {
        var settings = StackSettings.Discovery("platform");
        var template = StackCompiler.Compile(new CompileRequest("platform", null, new Dictionary<string, string>())).Template!;
        var owners = settings.Services.Select(s => s.Name).Concat(ServiceSettings.ReservedNames).Concat(ComponentNames.Bootstrap).ToList();

        foreach (var resource in template.Resources)
        {
            var owning = owners.Where(o => resource.LogicalName.StartsWith(o + "-", StringComparison.Ordinal)).ToList();
            Assert.True(owning.Count == 1, $"{resource.LogicalName} should start with exactly one of {string.Join(", ", owners)}-, but starts with {owning.Count}");
        }
        // And the list holds no stale name: every reserved name is in use.
        Assert.All(ServiceSettings.ReservedNames, name => Assert.Contains(template.Resources, r => r.LogicalName.StartsWith(name + "-", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void A_service_named_like_a_stack_wide_component_is_refused(string name)
    {
        var problem = Assert.Single(TestStacks.Problems(c => c[ServiceSettings.Key] = $$$"""{"{{{name}}}":{"dataClassification":"internal","stores":[{"kind":"transientStore"}]}}"""));
        Assert.Equal($"{ServiceSettings.Key}.{name}", problem.Key);
        Assert.Equal($"'{name}' is reserved by another component of the platform.", problem.Problem);
    }
}
