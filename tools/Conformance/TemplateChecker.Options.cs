using System.Text.RegularExpressions;
using Platform.AwsSchema;
using YamlDotNet.RepresentationModel;
using static Platform.Conformance.Suggestions;
using static Platform.Conformance.YamlScalars;

namespace Platform.Conformance;

// Resource options: the known ones, each with the shape it takes (resources written ${name}, property paths, durations).
internal sealed partial class TemplateChecker
{
    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    private void CheckOptions(ResourceInfo info, YamlMappingNode options)
    {
        var basePath = $"{info.Path}.options";
        foreach (var (k, v) in options.Children)
        {
            var option = Key(k) ?? "";
            var path = $"{basePath}.{option}";
            if (!ConformanceChecker.ResourceOptions.Contains(option, StringComparer.Ordinal))
            {
                var cased = ConformanceChecker.ResourceOptions.FirstOrDefault(o => string.Equals(o, option, StringComparison.OrdinalIgnoreCase));
                Report(ProblemKind.UnknownOption, path, k, cased is not null
                    ? $"write the option '{cased}' (Pulumi matches '{option}' case-insensitively, with a warning)"
                    : $"'{option}' is not a resource option{DidYouMean(option, ConformanceChecker.ResourceOptions)}");
                CheckValue(v, PrimitiveTypeRef.Any, path);
                continue;
            }
            switch (option)
            {
                case "dependsOn" or "providers" or "replaceWith":
                    if (v is YamlSequenceNode list)
                    {
                        var i = 0;
                        foreach (var item in list.Children) CheckResourceSymbol(item, $"{path}[{i++}]", option, providerOf: option == "providers" ? info : null);
                    }
                    else
                    {
                        Report(ProblemKind.OptionShape, path, v, $"{option} must be a list of resources, e.g. [\"${{a}}\", \"${{b}}\"]");
                        CheckValue(v, PrimitiveTypeRef.Any, path);
                    }
                    break;
                case "parent" or "deletedWith":
                    CheckResourceSymbol(v, path, option, providerOf: null);
                    break;
                case "provider":
                    CheckResourceSymbol(v, path, option, providerOf: info);
                    break;
                case "protect" or "retainOnDelete" or "deleteBeforeReplace":
                    if (IsResourceOutputReference(v))
                        Report(ProblemKind.OptionShape, path, v, $"{option} must not be a resource output: use true/false or a config value");
                    else CheckValue(v, PrimitiveTypeRef.Boolean, path);
                    break;
                case "ignoreChanges" or "replaceOnChanges" or "hideDiffs" or "additionalSecretOutputs":
                    CheckPathList(info, v, path, option);
                    break;
                case "customTimeouts":
                    CheckCustomTimeouts(v, path);
                    break;
                case "import":
                    if (ScalarShape(v) != Shape.String || ((YamlScalarNode)v).Value!.Contains("${", StringComparison.Ordinal))
                        Report(ProblemKind.OptionShape, path, v, "import must be a literal resource ID (not an expression)");
                    break;
                case "version" or "pluginDownloadURL":
                    if (ScalarShape(v) != Shape.String)
                        Report(ProblemKind.OptionShape, path, v, $"{option} must be a string");
                    else CheckValue(v, PrimitiveTypeRef.String, path);
                    break;
                case "envVarMappings":
                    CheckValue(v, new MapTypeRef(PrimitiveTypeRef.String), path);
                    break;
                default: // aliases, replacementTrigger
                    CheckValue(v, PrimitiveTypeRef.Any, path);
                    break;
            }
        }
    }

    /// <summary>An option that takes a resource: exactly <c>${name}</c> naming a resource of the template.</summary>
    private void CheckResourceSymbol(YamlNode node, string path, string option, ResourceInfo? providerOf)
    {
        if (node is not YamlScalarNode { Value: { } text } || ScalarShape(node) != Shape.String)
        {
            Report(ProblemKind.OptionShape, path, node, $"{option} takes a resource, written \"${{name}}\"");
            CheckValue(node, PrimitiveTypeRef.Any, path);
            return;
        }
        var parsed = Interpolation.Parse(text, out var error);
        if (parsed is null)
        {
            Report(ProblemKind.MalformedInterpolation, path, node, error + InterpolationHint);
            return;
        }
        if (!parsed.IsSymbol || parsed.References.First().Accessors.Count > 0)
        {
            Report(ProblemKind.OptionShape, path, node, $"{option} takes a resource, written \"${{name}}\" (no property, no other text); got \"{Short(text)}\"");
            foreach (var r in parsed.References) CheckReference(r, path, node);
            return;
        }
        var target = parsed.References.First().Root;
        if (!_resources.TryGetValue(target, out var resource))
        {
            Report(ProblemKind.UnknownReference, path, node, $"{option} names '{target}', which is not a resource of the template{DidYouMean(target, _resources.Keys)}");
            return;
        }
        AddEdge("r:" + target);
        if (providerOf is not null && resource.Token is not null)
        {
            if (!resource.IsProvider)
                Report(ProblemKind.OptionShape, path, node, $"{option} names '{target}' ({resource.Token}), which is not a provider resource");
            else if (providerOf.IsAws && !providerOf.IsProvider && resource.Token != AwsPackageSchema.ProviderToken)
                Report(ProblemKind.OptionShape, path, node, $"{option} of an aws resource must be a {AwsPackageSchema.ProviderToken} resource, not '{target}' ({resource.Token})");
        }
    }

    private bool IsResourceOutputReference(YamlNode node) =>
        node is YamlScalarNode { Value: { } text } && ScalarShape(node) == Shape.String &&
        Interpolation.Parse(text, out _) is { } parsed && parsed.References.Any(r => _resources.ContainsKey(r.Root));

    private void CheckCustomTimeouts(YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
        {
            Report(ProblemKind.OptionShape, path, node, "customTimeouts must be a mapping {create, update, delete, read}");
            return;
        }
        foreach (var (k, v) in map.Children)
        {
            var field = Key(k);
            if (field is not ("create" or "update" or "delete" or "read"))
            {
                Report(ProblemKind.OptionShape, $"{path}.{field}", k, $"customTimeouts has only create, update, delete and read{DidYouMean(field ?? "", ["create", "update", "delete", "read"])}");
                continue;
            }
            if (v is not YamlScalarNode { Value: { } d } || !GoDuration().IsMatch(d))
                Report(ProblemKind.OptionShape, $"{path}.{field}", v, "customTimeouts values are Go durations written as strings, e.g. \"30m\" or \"1h30m\"");
        }
    }

    private void CheckPathList(ResourceInfo info, YamlNode node, string path, string option)
    {
        if (node is not YamlSequenceNode list)
        {
            Report(ProblemKind.OptionShape, path, node, $"{option} must be a list of property paths");
            return;
        }
        var i = 0;
        foreach (var item in list.Children)
        {
            var itemPath = $"{path}[{i++}]";
            if (item is not YamlScalarNode { Value: { Length: > 0 } text } || ScalarShape(item) != Shape.String)
            {
                Report(ProblemKind.OptionShape, itemPath, item, $"{option} entries are property paths written as strings");
                continue;
            }
            if (info.Schema is null) continue;
            if (option == "additionalSecretOutputs")
            {
                if (info.Schema.Output(text) is null && text is not ("id" or "urn"))
                    Report(ProblemKind.BadPropertyPath, itemPath, item, $"additionalSecretOutputs entry '{text}' is not an output of {info.Token}{DidYouMean(text, info.Schema.Outputs.Select(o => o.Name))}");
                continue;
            }
            var error = _types.CheckInputPath(info.Schema, text);
            if (error is not null) Report(ProblemKind.BadPropertyPath, itemPath, item, $"{option} path '{text}' {error}");
        }
    }
}
