using Platform.AwsSchema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Conformance;

/// <summary>
/// Checks a Pulumi YAML template (YAML or JSON text) against the type definitions of <c>@pulumi/aws</c>: resource types and
/// property names, plus the Pulumi YAML pitfalls (undeclared config, unpinned versions, bad escapes, a missing name).
/// Every problem is reported, each with its location.
/// </summary>
public static class ConformanceChecker
{
    /// <summary>The Pulumi YAML built-ins (pulumi-yaml <c>ast/expr.go</c> <c>tryParseFunction</c>), canonical casing.</summary>
    public static readonly IReadOnlyList<string> BuiltIns =
    [
        "fn::invoke", "fn::join", "fn::split", "fn::select", "fn::toJSON", "fn::toBase64", "fn::fromBase64",
        "fn::secret", "fn::unsecret", "fn::readFile", "fn::filebase64", "fn::filebase64sha256", "fn::sha1",
        "fn::length", "fn::singleOrNone", "fn::pulumiResourceName", "fn::pulumiResourceType", "fn::stringAsset",
        "fn::fileAsset", "fn::remoteAsset", "fn::fileArchive", "fn::remoteArchive", "fn::assetArchive",
        "fn::stackReference",
    ];

    /// <summary>The fields of a resource (pulumi-yaml <c>ResourceDecl</c>).</summary>
    public static readonly IReadOnlyList<string> ResourceFields = ["type", "name", "defaultProvider", "properties", "options", "get"];

    /// <summary>The resource options (pulumi-yaml <c>ResourceOptionsDecl</c>).</summary>
    public static readonly IReadOnlyList<string> ResourceOptions =
    [
        "additionalSecretOutputs", "aliases", "customTimeouts", "deleteBeforeReplace", "dependsOn", "ignoreChanges",
        "import", "parent", "protect", "provider", "providers", "version", "pluginDownloadURL", "replaceOnChanges",
        "retainOnDelete", "replaceWith", "deletedWith", "hideDiffs", "replacementTrigger", "envVarMappings",
    ];

    /// <summary>The template's top-level keys (pulumi-yaml <c>TemplateDecl</c>) a compiler may write.</summary>
    public static readonly IReadOnlyList<string> TopLevelKeys =
        ["name", "namespace", "version", "description", "pulumi", "config", "variables", "resources", "outputs"];

    /// <summary>The fields of <c>${pulumi.x}</c>.</summary>
    public static readonly IReadOnlyList<string> PulumiVariables = ["stack", "project", "organization", "cwd", "rootDirectory"];

    /// <summary>
    /// Checks <paramref name="templateText"/> against <paramref name="schema"/>; every AWS resource, provider and
    /// invoke must pin <paramref name="version"/>. Returns every problem found (empty when the template conforms).
    /// </summary>
    public static IReadOnlyList<Problem> Check(string templateText, AwsPackageSchema schema, string version)
    {
        ArgumentNullException.ThrowIfNull(templateText);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(templateText));
        }
        catch (YamlException e)
        {
            var line = (int)e.Start.Line;
            return [new Problem(ProblemKind.Syntax, "template", line, $"not valid YAML/JSON: {Inner(e).Message}")];
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            return [new Problem(ProblemKind.Syntax, "template", 0, "the template must be a mapping with a resources: section")];
        var checker = new TemplateChecker(schema, version);
        if (stream.Documents.Count > 1)
            checker.Report(ProblemKind.Syntax, "template", stream.Documents[1].RootNode, "the template holds more than one YAML document; Pulumi reads only the first");
        checker.Run(root);
        return checker.Problems;
    }

    private static Exception Inner(Exception e) => e.InnerException is YamlException inner ? Inner(inner) : e;
}
