using Platform.AwsSchema;
using YamlDotNet.RepresentationModel;
using static Platform.Conformance.Suggestions;
using static Platform.Conformance.YamlScalars;

namespace Platform.Conformance;

// Each resource: its type token in the pinned package, its fields, its inputs (names, required ones), get:, and the
// pinned provider version.
internal sealed partial class TemplateChecker
{
    private void ResolveType(ResourceInfo info)
    {
        if (info.Node is not YamlMappingNode map)
        {
            Report(ProblemKind.WrongShape, info.Path, info.Node, "a resource is a mapping with type:, properties: and options:");
            return;
        }
        var typeNode = Child(map, "type");
        if (typeNode is null)
        {
            Report(ProblemKind.MissingRequired, info.Path, map, "the resource has no 'type'");
            return;
        }
        if (typeNode is not YamlScalarNode { Value: { Length: > 0 } token } || ScalarShape(typeNode) != Shape.String)
        {
            Report(ProblemKind.WrongShape, $"{info.Path}.type", typeNode, "type must be a type token such as aws:s3/bucket:Bucket");
            return;
        }
        info.Token = token;
        if (token == AwsPackageSchema.ProviderToken)
        {
            info.Schema = schema.Provider;
            return;
        }
        if (schema.HasResource(token))
        {
            info.Schema = schema.Resource(token);
            return;
        }
        var canonical = schema.CanonicalToken(token);
        if (canonical is not null)
        {
            Report(ProblemKind.UnknownType, $"{info.Path}.type", typeNode,
                $"write the canonical type token '{canonical}' instead of '{token}' (URNs and engine events carry the canonical token)");
            info.Token = canonical;
            info.Schema = schema.Resource(canonical);
            return;
        }
        if (token.StartsWith("pulumi:providers:", StringComparison.Ordinal))
        {
            Report(ProblemKind.UnknownType, $"{info.Path}.type", typeNode,
                $"'{token}' is not checked: only the aws provider ({AwsPackageSchema.ProviderToken}) is pinned and conformance-checked");
            return;
        }
        Report(ProblemKind.UnknownType, $"{info.Path}.type", typeNode,
            $"'{token}' is not a resource type of @pulumi/aws {schema.Version}{SuggestToken(token)}");
    }

    private string SuggestToken(string token)
    {
        var parts = token.Split(':');
        var className = parts.Length == 3 ? parts[2] : token;
        var sameClass = schema.ResourceTokens.Where(t => t.EndsWith(":" + className, StringComparison.Ordinal)).ToList();
        var best = Suggest(token, schema.ResourceTokens, maxDistance: Math.Max(3, token.Length / 6));
        if (best is not null) return $" (did you mean '{best}'?)";
        if (sameClass.Count is > 0 and <= 3) return $" (did you mean {string.Join(" or ", sameClass.Select(t => $"'{t}'"))}?)";
        return "";
    }

    private void FindDefaultProvider()
    {
        foreach (var info in _resources.Values)
        {
            if (info.Node is not YamlMappingNode map || Child(map, "defaultProvider") is not { } flag) continue;
            if (!info.IsProvider)
            {
                Report(ProblemKind.UnknownField, $"{info.Path}.defaultProvider", flag, "defaultProvider is only allowed on pulumi:providers:* resources");
                continue;
            }
            if (ScalarShape(flag) != Shape.Boolean)
            {
                Report(ProblemKind.WrongShape, $"{info.Path}.defaultProvider", flag, "defaultProvider must be true or false");
                continue;
            }
            if (((YamlScalarNode)flag).Value is not ("true" or "True" or "TRUE") || info.Token != AwsPackageSchema.ProviderToken) continue;
            if (_defaultAwsProvider is not null)
                Report(ProblemKind.OptionShape, $"{info.Path}.defaultProvider", flag, $"'{_defaultAwsProvider.Name}' is already the default aws provider");
            else _defaultAwsProvider = info;
        }
    }

    private void CheckResource(ResourceInfo info)
    {
        if (info.Node is not YamlMappingNode map) return;
        YamlNode? properties = null, get = null;
        foreach (var (k, v) in map.Children)
        {
            var field = Key(k) ?? "";
            if (!ConformanceChecker.ResourceFields.Contains(field, StringComparer.Ordinal))
            {
                var cased = ConformanceChecker.ResourceFields.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase));
                if (cased is null)
                {
                    Report(ProblemKind.UnknownField, $"{info.Path}.{field}", k,
                        $"unknown resource field '{field}'{DidYouMean(field, ConformanceChecker.ResourceFields)}; a resource has only {string.Join(", ", ConformanceChecker.ResourceFields)}");
                    continue;
                }
                Report(ProblemKind.UnknownField, $"{info.Path}.{field}", k, $"write '{cased}' (Pulumi matches '{field}' case-insensitively, with a warning)");
                field = cased;
            }
            switch (field)
            {
                case "name":
                    if (ScalarShape(v) != Shape.String) Report(ProblemKind.WrongShape, $"{info.Path}.name", v, "name must be a string");
                    break;
                case "properties":
                    properties = v;
                    break;
                case "get":
                    get = v;
                    break;
                case "options":
                    if (v is YamlMappingNode options) info.Options = options;
                    else Report(ProblemKind.OptionShape, $"{info.Path}.options", v, "options must be a mapping");
                    break;
            }
        }

        var propertiesPath = $"{info.Path}.properties";
        if (properties is YamlMappingNode props && !IsBuiltinObject(props))
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (k, v) in props.Children)
            {
                var name = Key(k);
                if (name is null) continue;
                var path = $"{propertiesPath}.{name}";
                if (info.Schema is null)
                {
                    CheckValue(v, PrimitiveTypeRef.Any, path);
                    continue;
                }
                var input = info.Schema.Input(name);
                if (input is null)
                {
                    Report(ProblemKind.UnknownProperty, path, k,
                        $"'{name}' is not an input of {info.Token}{DidYouMean(name, info.Schema.Inputs.Select(i => i.Name))}");
                    CheckValue(v, PrimitiveTypeRef.Any, path);
                    continue;
                }
                if (!IsNull(v)) set.Add(name);
                CheckValue(v, input.Type, path);
            }
            if (info.Schema is not null && get is null)
                foreach (var input in info.Schema.Inputs.Where(i => i.Required && !set.Contains(i.Name)))
                    Report(ProblemKind.MissingRequired, $"{propertiesPath}.{input.Name}", props,
                        $"missing required input '{input.Name}' ({input.Type.Display}) of {info.Token}");
        }
        else if (properties is not null)
        {
            // A single expression (a variable, fn::secret of an object, ...): names cannot be checked here.
            CheckValue(properties, PrimitiveTypeRef.Any, propertiesPath);
        }
        else if (info.Schema is not null && get is null)
        {
            foreach (var input in info.Schema.Inputs.Where(i => i.Required))
                Report(ProblemKind.MissingRequired, $"{propertiesPath}.{input.Name}", map,
                    $"missing required input '{input.Name}' ({input.Type.Display}) of {info.Token}");
        }

        if (get is not null) CheckGet(info, get);
        if (info.Options is not null) CheckOptions(info, info.Options);
        CheckVersion(info);
    }

    private void CheckGet(ResourceInfo info, YamlNode get)
    {
        var path = $"{info.Path}.get";
        if (get is not YamlMappingNode map)
        {
            Report(ProblemKind.WrongShape, path, get, "get must be a mapping {id: ..., state: {...}}");
            return;
        }
        if (Child(map, "id") is null) Report(ProblemKind.MissingRequired, $"{path}.id", map, "get needs the id of the resource to read");
        foreach (var (k, v) in map.Children)
        {
            var field = Key(k);
            if (field is not ("id" or "state"))
                Report(ProblemKind.UnknownField, $"{path}.{field}", k, $"unknown get field '{field}'; get has only id and state");
            CheckValue(v, field == "id" ? PrimitiveTypeRef.String : PrimitiveTypeRef.Any, $"{path}.{field}");
        }
    }

    private static string NormalizeVersion(string v) => v.Trim().TrimStart('v', 'V');

    private void CheckVersion(ResourceInfo info)
    {
        if (!info.IsAws) return;
        var versionNode = info.Options is null ? null : Child(info.Options, "version");
        var path = $"{info.Path}.options.version";
        if (versionNode is null)
        {
            var explicitProvider = info.Options is not null && Child(info.Options, "provider") is not null;
            var coveredByDefault = !info.IsProvider && !explicitProvider && _defaultAwsProvider is { Options: { } o } &&
                                   Child(o, "version") is YamlScalarNode { Value: { } dv } && NormalizeVersion(dv) == _pinned;
            if (!coveredByDefault)
                Report(ProblemKind.MissingVersion, path, info.Node,
                    $"missing options.version: pin @pulumi/aws {_pinned} on every AWS resource and provider (the first resource of a package decides its plugin version)");
            return;
        }
        if (versionNode is YamlScalarNode { Value: { } value } && NormalizeVersion(value) != _pinned)
            Report(ProblemKind.WrongVersion, path, versionNode, $"options.version is '{value}', but the pinned @pulumi/aws version is '{_pinned}'");
    }
}
