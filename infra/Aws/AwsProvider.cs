namespace Platform.Infra.Aws;

/// <summary>The AWS provider the templates are written for: the same version CI checks them against.</summary>
public static class AwsProvider
{
    /// <summary>Pinned on every AWS resource as <c>options.version</c>; must equal conformance/package.json.</summary>
    public const string Version = "7.48.0";
}
