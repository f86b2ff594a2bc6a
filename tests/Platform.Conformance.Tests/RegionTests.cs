using System.Text.RegularExpressions;
using Platform.Infra.Settings;

namespace Platform.Conformance.Tests;

/// <summary>The regions the compiler accepts are the pinned provider's, in the partitions the platform's ARNs cover.</summary>
public sealed partial class RegionTests
{
    [Fact]
    public void The_accepted_regions_are_the_pinned_providers_minus_the_isolated_partitions()
    {
        var enums = File.ReadAllText(Path.Combine(TestPackage.AwsDirectory, "types", "enums", "index.d.ts"));
        var start = enums.IndexOf("export declare const Region: {", StringComparison.Ordinal);
        Assert.True(start >= 0, "@pulumi/aws no longer declares the Region enum in types/enums/index.d.ts");
        var body = enums[start..enums.IndexOf("};", start, StringComparison.Ordinal)];
        var provider = RegionValue().Matches(body).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("eu-west-1", provider);

        // Isolated (aws-iso*) and sovereign (aws-eusc) partitions: their ARNs are not the aws, aws-cn or aws-us-gov ones.
        var expected = provider.Where(r => !r.Contains("-iso", StringComparison.Ordinal) && !r.StartsWith("eusc-", StringComparison.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), AwsSettings.Regions.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex("""readonly \w+: "([a-z0-9-]+)";""")]
    private static partial Regex RegionValue();
}
