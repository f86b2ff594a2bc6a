namespace Platform.Automation.Pulumi;

/// <summary>
/// Pulumi resource URNs: <c>urn:pulumi:&lt;stack&gt;::&lt;project&gt;::&lt;type&gt;::&lt;name&gt;</c>
/// (https://www.pulumi.com/docs/iac/concepts/resources/names/#urns).
/// </summary>
public static class Urn
{
    /// <summary>The stack a URN belongs to, or null when the text is not a resource URN.</summary>
    public static string? StackOf(string urn)
    {
        const string prefix = "urn:pulumi:";
        if (!urn.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var parts = urn[prefix.Length..].Split("::");
        return parts.Length >= 4 && parts.All(p => p.Length > 0) ? parts[0] : null;
    }

    /// <summary>The logical name: the last segment.</summary>
    public static string NameOf(string urn) => urn[(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)..];
}
