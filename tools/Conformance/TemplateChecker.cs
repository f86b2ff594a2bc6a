using System.Text.RegularExpressions;
using Platform.AwsSchema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Conformance;

/// <summary>One run of the checks over one template (see <see cref="ConformanceChecker"/>).</summary>
internal sealed partial class TemplateChecker(AwsPackageSchema schema, string version)
{
    private const string AwsPrefix = "aws:";

    private sealed class ResourceInfo(string name, YamlNode node, string path)
    {
        public string Name { get; } = name;
        public YamlNode Node { get; } = node;
        public string Path { get; } = path;
        public string? Token { get; set; }
        public ResourceSchema? Schema { get; set; }
        public YamlMappingNode? Options { get; set; }
        public bool IsAws => Token is not null && (Token.StartsWith(AwsPrefix, StringComparison.Ordinal) || Token == AwsPackageSchema.ProviderToken);
        public bool IsProvider => Token is not null && Token.StartsWith("pulumi:providers:", StringComparison.Ordinal);
    }

    /// <summary>The shape of a value, as far as it can be told without running the program.</summary>
    private enum Shape { Any, String, Number, Boolean, List, Object, Asset, Archive }

    private readonly Dictionary<string, ResourceInfo> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlNode> _variables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _config = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);
    private readonly string _pinned = NormalizeVersion(version);
    private string? _project;
    private string? _owner;
    private ResourceInfo? _defaultAwsProvider;
    private List<Problem> _problems = [];

    public List<Problem> Problems => _problems;

    public void Report(ProblemKind kind, string location, YamlNode? node, string message) =>
        _problems.Add(new Problem(kind, location, node is null ? 0 : (int)node.Start.Line, message));

    public void Run(YamlMappingNode root)
    {
        YamlMappingNode? resources = null, variables = null, outputs = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Key(keyNode);
            switch (key)
            {
                case "name":
                    _project = (value as YamlScalarNode)?.Value;
                    break;
                case "namespace" or "version" or "description" or "pulumi":
                    break;
                case "config":
                    CollectConfig(value, "config");
                    break;
                case "variables":
                    variables = AsMapping(value, "variables", "a mapping of variable names to expressions");
                    break;
                case "resources":
                    resources = AsMapping(value, "resources", "a mapping of logical names to resources");
                    break;
                case "outputs":
                    outputs = AsMapping(value, "outputs", "a mapping of stack output names to expressions");
                    break;
                case "configuration":
                    Report(ProblemKind.UnknownField, "configuration", keyNode, "'configuration' is the deprecated alias of 'config': write 'config'");
                    CollectConfig(value, "configuration");
                    break;
                case "components":
                    Report(ProblemKind.UnknownField, "components", keyNode, "'components' is only valid in a plugin template (PulumiPlugin.yaml), not in a program");
                    break;
                default:
                    var cased = TopLevelCasing(key);
                    Report(ProblemKind.UnknownField, key ?? "template", keyNode, cased is not null
                        ? $"write the top-level key '{cased}' (Pulumi matches '{key}' case-insensitively, with a warning)"
                        : $"unknown top-level key '{key}'; a template has only {string.Join(", ", ConformanceChecker.TopLevelKeys)}");
                    break;
            }
        }

        if (variables is not null)
            foreach (var (k, v) in variables.Children)
                if (Key(k) is { } name) _variables[name] = v;

        if (resources is not null)
        {
            foreach (var (k, v) in resources.Children)
            {
                var name = Key(k);
                if (name is null) continue;
                if (_variables.ContainsKey(name))
                    Report(ProblemKind.UnknownField, $"resources.{name}", k, $"'{name}' is both a resource and a variable; references would only reach the resource");
                _resources[name] = new ResourceInfo(name, v, $"resources.{name}");
            }
            foreach (var info in _resources.Values) ResolveType(info);
            FindDefaultProvider();
            foreach (var info in _resources.Values)
            {
                _owner = "r:" + info.Name;
                CheckResource(info);
            }
        }

        if (variables is not null)
        {
            foreach (var (name, value) in _variables)
            {
                _owner = "v:" + name;
                CheckValue(value, PrimitiveTypeRef.Any, $"variables.{name}");
            }
        }

        _owner = null;
        if (outputs is not null)
            foreach (var (k, v) in outputs.Children)
                CheckValue(v, PrimitiveTypeRef.Any, $"outputs.{Key(k)}");

        FindCycles();
    }

    // ---- config -------------------------------------------------------------------------------------------------

    private static readonly string[] ConfigFields = ["type", "default", "secret", "name", "value", "items"];

    [GeneratedRegex(@"^(string|number|int|integer|boolean|bool|object|list<\s*(string|number|int|integer|boolean|bool|object|list<.*>)\s*>)$", RegexOptions.IgnoreCase)]
    private static partial Regex ConfigType();

    private void CollectConfig(YamlNode node, string section)
    {
        if (AsMapping(node, section, "a mapping of config keys to declarations") is not { } map) return;
        foreach (var (k, v) in map.Children)
        {
            var key = Key(k);
            if (key is null) continue;
            _config.Add(key);
            var path = $"{section}.{key}";
            if (v is not YamlMappingNode decl)
            {
                Report(ProblemKind.Config, path, v, "a config declaration is a mapping such as {type: String, secret: true}");
                continue;
            }
            var hasType = false;
            var hasDefault = false;
            foreach (var (fk, fv) in decl.Children)
            {
                var field = Key(fk);
                if (field is null) continue;
                if (!ConfigFields.Contains(field, StringComparer.Ordinal))
                {
                    Report(ProblemKind.UnknownField, $"{path}.{field}", fk, $"unknown config field '{field}'{DidYouMean(field, ConfigFields)}; the fields are {string.Join(", ", ConfigFields)}");
                    continue;
                }
                switch (field)
                {
                    case "type":
                        hasType = true;
                        if (fv is not YamlScalarNode { Value: { } t } || !ConfigType().IsMatch(t))
                            Report(ProblemKind.Config, $"{path}.type", fv, "config type must be String, Number, Integer, Boolean, Object or List<...>");
                        break;
                    case "default":
                        hasDefault = true;
                        break;
                    case "secret":
                        if (ScalarShape(fv) != Shape.Boolean)
                            Report(ProblemKind.Config, $"{path}.secret", fv, "secret must be true or false");
                        break;
                }
            }
            if (!hasType && !hasDefault)
                Report(ProblemKind.Config, path, decl, "a config declaration needs 'type' or 'default' (Pulumi: \"unable to infer type\")");
        }
    }

    // ---- resources ----------------------------------------------------------------------------------------------

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

    // ---- options ------------------------------------------------------------------------------------------------

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
            var error = CheckInputPath(info.Schema, text);
            if (error is not null) Report(ProblemKind.BadPropertyPath, itemPath, item, $"{option} path '{text}' {error}");
        }
    }

    /// <summary>Walks a property path (<c>a.b[0]["c"]</c>, <c>a[*]</c>) over the inputs; returns what is wrong, or null.</summary>
    private string? CheckInputPath(ResourceSchema resource, string path)
    {
        var segments = PropertyPath.Parse(path, out var syntaxError);
        if (segments is null) return $"does not parse: {syntaxError}";
        if (segments[0] is not PropertyAccessor first)
            return "must start with an input name";
        var input = resource.Input(first.Name);
        if (input is null)
            return $"names no input of {resource.Token}{DidYouMean(first.Name, resource.Inputs.Select(i => i.Name))}";
        return WalkType(input.Type, segments.Skip(1), first.Name);
    }

    /// <summary>Follows accessors through a type; returns an error message, or null when they fit (or cannot be told).</summary>
    private string? WalkType(TypeRef type, IEnumerable<Accessor> accessors, string walked)
    {
        foreach (var accessor in accessors)
        {
            switch (type)
            {
                case ObjectTypeRef o:
                    var resolved = schema.Resolve(o);
                    if (resolved is null) return null;
                    var name = accessor switch { PropertyAccessor p => p.Name, KeyAccessor k => k.Key, _ => null };
                    if (name is null) return $"indexes '{walked}', which is an object ({o.QualifiedName}), not a list";
                    var property = resolved.Property(name);
                    if (property is null)
                        return $"names '{name}', which is not a property of {o.QualifiedName} ('{walked}'){DidYouMean(name, resolved.Properties.Select(p => p.Name))}";
                    type = property.Type;
                    break;
                case ListTypeRef l:
                    if (accessor is not (IndexAccessor or WildcardAccessor))
                        return $"reads '{accessor}' of '{walked}', which is a list: use an index such as [0]";
                    type = l.Element;
                    break;
                case MapTypeRef m:
                    if (accessor is IndexAccessor)
                        return $"indexes '{walked}', which is a map: use [\"key\"] or .key";
                    type = m.Value;
                    break;
                case PrimitiveTypeRef { Kind: PrimitiveKind.String or PrimitiveKind.Number or PrimitiveKind.Boolean } p:
                    return $"reads '{accessor}' of '{walked}', which is a {p.Display}";
                default:
                    return null;
            }
            walked += accessor.ToString();
        }
        return null;
    }

    // ---- versions -----------------------------------------------------------------------------------------------

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

    // ---- values -------------------------------------------------------------------------------------------------

    /// <summary>Checks a value against the type its property declares; records references for the dependency graph.</summary>
    private void CheckValue(YamlNode node, TypeRef type, string path)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                CheckScalar(scalar, type, path);
                break;
            case YamlSequenceNode list:
                CheckList(list, type, path);
                break;
            case YamlMappingNode map when BuiltinOf(map, path) is { } builtin:
                CheckBuiltin(builtin.Name, builtin.Key, builtin.Argument, map, type, path);
                break;
            case YamlMappingNode map:
                CheckObject(map, type, path);
                break;
        }
    }

    private void CheckScalar(YamlScalarNode scalar, TypeRef type, string path)
    {
        var shape = ScalarShape(scalar);
        if (shape is null) return; // null: unset
        if (shape == Shape.String)
        {
            var text = scalar.Value ?? "";
            var parsed = Interpolation.Parse(text, out var error);
            if (parsed is null)
            {
                Report(ProblemKind.MalformedInterpolation, path, scalar, error + InterpolationHint);
                return;
            }
            foreach (var reference in parsed.References) CheckReference(reference, path, scalar);
            if (parsed.IsSymbol) return; // keeps the referenced value's own type
            Expect(Shape.String, type, scalar, path,
                parsed.HasReferences ? $"an interpolated string \"{Short(text)}\"" : $"the string \"{Short(text)}\"");
            return;
        }
        Expect(shape.Value, type, scalar, path, shape == Shape.Number ? $"the number {scalar.Value}" : $"the boolean {scalar.Value}");
    }

    private const string InterpolationHint = " (write $${ for a literal '${', and $$$$ for a literal '$$')";

    private void CheckList(YamlSequenceNode list, TypeRef type, string path)
    {
        TypeRef? element = type switch
        {
            ListTypeRef l => l.Element,
            PrimitiveTypeRef { Kind: PrimitiveKind.Any } => PrimitiveTypeRef.Any,
            UnionTypeRef u => u.Members.OfType<ListTypeRef>().FirstOrDefault()?.Element,
            _ => null,
        };
        if (element is null)
        {
            Report(ProblemKind.WrongShape, path, list, $"expected {Describe(type)}, got a list");
            element = PrimitiveTypeRef.Any;
        }
        var i = 0;
        foreach (var item in list.Children) CheckValue(item, element, $"{path}[{i++}]");
    }

    private void CheckObject(YamlMappingNode map, TypeRef type, string path)
    {
        switch (type)
        {
            case PrimitiveTypeRef { Kind: PrimitiveKind.Any }:
                foreach (var (k, v) in map.Children) CheckValue(v, PrimitiveTypeRef.Any, $"{path}.{Key(k)}");
                return;
            case MapTypeRef m:
                foreach (var (k, v) in map.Children) CheckValue(v, m.Value, $"{path}.{Key(k)}");
                return;
            case ObjectTypeRef o:
                CheckAgainstObjectType(map, o, path);
                return;
            case UnionTypeRef u:
                var candidates = u.Members.Where(m => m is ObjectTypeRef or MapTypeRef).ToList();
                if (candidates.Count == 0) break;
                if (candidates.Count == 1)
                {
                    CheckObject(map, candidates[0], path);
                    return;
                }
                // Several object members: keep the problems of the member the value fits best.
                var saved = _problems;
                List<Problem>? best = null;
                foreach (var candidate in candidates)
                {
                    _problems = [];
                    CheckObject(map, candidate, path);
                    if (best is null || _problems.Count < best.Count) best = _problems;
                }
                _problems = saved;
                _problems.AddRange(best!);
                return;
        }
        Report(ProblemKind.WrongShape, path, map, $"expected {Describe(type)}, got an object");
        foreach (var (k, v) in map.Children) CheckValue(v, PrimitiveTypeRef.Any, $"{path}.{Key(k)}");
    }

    private void CheckAgainstObjectType(YamlMappingNode map, ObjectTypeRef typeRef, string path)
    {
        var objectType = schema.Resolve(typeRef);
        if (objectType is null)
        {
            CheckObject(map, PrimitiveTypeRef.Any, path);
            return;
        }
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = Key(k);
            if (name is null) continue;
            var property = objectType.Property(name);
            var propertyPath = $"{path}.{name}";
            if (property is null)
            {
                Report(ProblemKind.UnknownProperty, propertyPath, k,
                    $"'{name}' is not a property of {objectType.QualifiedName}{DidYouMean(name, objectType.Properties.Select(p => p.Name))}");
                CheckValue(v, PrimitiveTypeRef.Any, propertyPath);
                continue;
            }
            if (!IsNull(v)) set.Add(name);
            CheckValue(v, property.Type, propertyPath);
        }
        foreach (var property in objectType.Properties.Where(p => p.Required && !set.Contains(p.Name)))
            Report(ProblemKind.MissingRequired, $"{path}.{property.Name}", map,
                $"missing required property '{property.Name}' ({property.Type.Display}) of {objectType.QualifiedName}");
    }

    private void Expect(Shape shape, TypeRef type, YamlNode node, string path, string what)
    {
        if (!Fits(shape, type)) Report(ProblemKind.WrongShape, path, node, $"expected {Describe(type)}, got {what}");
    }

    private static bool Fits(Shape shape, TypeRef type) => shape == Shape.Any || type switch
    {
        PrimitiveTypeRef { Kind: PrimitiveKind.Any } => true,
        // Pulumi converts numbers and booleans to strings where a string is expected.
        PrimitiveTypeRef { Kind: PrimitiveKind.String } => shape is Shape.String or Shape.Number or Shape.Boolean,
        PrimitiveTypeRef { Kind: PrimitiveKind.Number } => shape == Shape.Number,
        PrimitiveTypeRef { Kind: PrimitiveKind.Boolean } => shape == Shape.Boolean,
        PrimitiveTypeRef { Kind: PrimitiveKind.Asset } => shape == Shape.Asset,
        PrimitiveTypeRef { Kind: PrimitiveKind.Archive } => shape == Shape.Archive,
        ListTypeRef => shape == Shape.List,
        MapTypeRef or ObjectTypeRef => shape == Shape.Object,
        UnionTypeRef u => u.Members.Any(m => Fits(shape, m)),
        _ => true,
    };

    private static string Describe(TypeRef type) => type switch
    {
        ListTypeRef => $"a list ({type.Display})",
        MapTypeRef => $"a map ({type.Display})",
        ObjectTypeRef o => $"an object ({o.QualifiedName})",
        PrimitiveTypeRef { Kind: PrimitiveKind.Asset } => "an asset (fn::fileAsset, fn::stringAsset, fn::remoteAsset)",
        PrimitiveTypeRef { Kind: PrimitiveKind.Archive } => "an archive (fn::fileArchive, fn::assetArchive, fn::remoteArchive)",
        PrimitiveTypeRef p => $"a {p.Display}",
        _ => type.Display,
    };

    // ---- references ---------------------------------------------------------------------------------------------

    private void CheckReference(Reference reference, string path, YamlNode node)
    {
        var root = reference.Root;
        var text = reference.ToString();
        if (_resources.TryGetValue(root, out var resource))
        {
            AddEdge("r:" + root);
            CheckResourceOutput(resource, reference, path, node, text);
            return;
        }
        if (_config.Contains(root)) return;
        if (_variables.ContainsKey(root))
        {
            AddEdge("v:" + root);
            return;
        }
        if (root == "pulumi")
        {
            if (reference.Accessors is not [PropertyAccessor { Name: var field }] || !ConformanceChecker.PulumiVariables.Contains(field, StringComparer.Ordinal))
                Report(ProblemKind.UnknownReference, path, node,
                    $"{text}: the built-in 'pulumi' variable has only {string.Join(", ", ConformanceChecker.PulumiVariables.Select(f => "pulumi." + f))}");
            return;
        }
        var colon = root.IndexOf(':');
        if (colon > 0)
        {
            var ns = root[..colon];
            var key = root[(colon + 1)..];
            // pulumi-yaml also tries the key with the project prefix stripped; without a name: the project is unknown,
            // so any prefix but a provider's is taken for it.
            if (_config.Contains(key) && (ns == _project || (_project is null && ns != "aws" && ns != "pulumi"))) return;
            Report(ProblemKind.UndeclaredConfig, path, node,
                $"{text}: config key '{root}' is not declared in the template's config: block; declare it there (e.g. '{root}: {{type: String}}'), because Pulumi's plugin discovery analyses the template without stack config and silently stops pinning providers when a reference does not resolve");
            return;
        }
        var known = _resources.Keys.Concat(_variables.Keys).Concat(_config);
        Report(ProblemKind.UnknownReference, path, node,
            $"{text}: no resource, variable or declared config key is named '{root}'{DidYouMean(root, known)} (a stack setting must be declared under config:)");
    }

    private void CheckResourceOutput(ResourceInfo resource, Reference reference, string path, YamlNode node, string text)
    {
        if (reference.Accessors.Count == 0) return; // the resource itself
        var first = reference.Accessors[0];
        var name = first switch { PropertyAccessor p => p.Name, KeyAccessor k => k.Key, _ => null };
        if (name is null)
        {
            Report(ProblemKind.UnknownOutput, path, node, $"{text}: '{resource.Name}' is a resource, not a list; name an output first, e.g. ${{{resource.Name}.arn}}");
            return;
        }
        if (name is "id" or "urn" || resource.Schema is null) return;
        var output = resource.Schema.Output(name);
        if (output is null)
        {
            Report(ProblemKind.UnknownOutput, path, node,
                $"{text}: {resource.Token} has no output '{name}'{DidYouMean(name, resource.Schema.Outputs.Select(o => o.Name).Append("id").Append("urn"))}");
            return;
        }
        var error = WalkType(output.Type, reference.Accessors.Skip(1), $"{resource.Name}.{name}");
        if (error is not null) Report(ProblemKind.UnknownOutput, path, node, $"{text} {error}");
    }

    private void AddEdge(string target)
    {
        if (_owner is null) return;
        if (!_edges.TryGetValue(_owner, out var set)) _edges[_owner] = set = new SortedSet<string>(StringComparer.Ordinal);
        set.Add(target);
    }

    // ---- built-ins ----------------------------------------------------------------------------------------------

    private sealed record Builtin(string Name, YamlNode Key, YamlNode Argument);

    [GeneratedRegex(@"^fn::[A-Za-z0-9_-]+:[^:]+(:[^:]+)?$")]
    private static partial Regex InvokeShorthand();

    private static bool IsBuiltinObject(YamlMappingNode map) =>
        map.Children.Count == 1 && Key(map.Children[0].Key) is { } key && key.StartsWith("fn::", StringComparison.OrdinalIgnoreCase);

    /// <summary>The built-in a mapping calls, if it is one; reports a mapping that mixes fn:: keys with others.</summary>
    private Builtin? BuiltinOf(YamlMappingNode map, string path)
    {
        if (IsBuiltinObject(map))
        {
            var (k, v) = map.Children[0];
            return new Builtin(Key(k)!, k, v);
        }
        foreach (var (k, _) in map.Children)
        {
            if (Key(k) is { } key && key.StartsWith("fn::", StringComparison.OrdinalIgnoreCase))
                Report(ProblemKind.BuiltinArguments, $"{path}.{key}", k, $"'{key}' must be the only key of its object to call a built-in");
        }
        return null;
    }

    private void CheckBuiltin(string name, YamlNode keyNode, YamlNode argument, YamlNode node, TypeRef expected, string path)
    {
        var canonical = ConformanceChecker.BuiltIns.FirstOrDefault(b => string.Equals(b, name, StringComparison.OrdinalIgnoreCase));
        var fnPath = $"{path}.{name}";
        if (canonical is null)
        {
            if (InvokeShorthand().IsMatch(name))
            {
                if (name.StartsWith("fn::aws:", StringComparison.Ordinal))
                    Report(ProblemKind.MissingVersion, fnPath, keyNode,
                        $"'{name}' is an invoke shorthand, which cannot pin the provider version: write fn::invoke with function: {name[4..]} and options.version: {_pinned}");
                CheckValue(argument, PrimitiveTypeRef.Any, fnPath);
                return;
            }
            Report(ProblemKind.UnknownBuiltin, fnPath, keyNode,
                $"'{name}' is not a Pulumi YAML built-in{DidYouMean(name, ConformanceChecker.BuiltIns)}; the built-ins are {string.Join(", ", ConformanceChecker.BuiltIns)}");
            CheckValue(argument, PrimitiveTypeRef.Any, fnPath);
            return;
        }
        if (canonical != name)
            Report(ProblemKind.UnknownBuiltin, fnPath, keyNode, $"write '{canonical}' (Pulumi matches '{name}' case-insensitively, with a warning)");

        Shape result;
        switch (canonical)
        {
            case "fn::invoke":
                CheckInvoke(argument, fnPath);
                result = Shape.Any;
                break;
            case "fn::join":
                if (Pair(argument, fnPath, "[delimiter, [items...]]") is var (delimiter, items))
                {
                    CheckValue(delimiter, PrimitiveTypeRef.String, $"{fnPath}[0]");
                    CheckValue(items, new ListTypeRef(PrimitiveTypeRef.String), $"{fnPath}[1]");
                }
                result = Shape.String;
                break;
            case "fn::split":
                if (Pair(argument, fnPath, "[delimiter, string]") is var (splitBy, source))
                {
                    CheckValue(splitBy, PrimitiveTypeRef.String, $"{fnPath}[0]");
                    CheckValue(source, PrimitiveTypeRef.String, $"{fnPath}[1]");
                }
                result = Shape.List;
                break;
            case "fn::select":
                if (Pair(argument, fnPath, "[index, [items...]]") is var (index, from))
                {
                    CheckValue(index, PrimitiveTypeRef.Number, $"{fnPath}[0]");
                    CheckValue(from, new ListTypeRef(PrimitiveTypeRef.Any), $"{fnPath}[1]");
                }
                result = Shape.Any;
                break;
            case "fn::stackReference":
                if (Pair(argument, fnPath, "[stackName, propertyName]") is var (stack, property))
                {
                    CheckValue(stack, PrimitiveTypeRef.String, $"{fnPath}[0]");
                    CheckValue(property, PrimitiveTypeRef.String, $"{fnPath}[1]");
                }
                result = Shape.Any;
                break;
            case "fn::secret" or "fn::unsecret":
                // The value keeps its shape: check it against what the property expects.
                CheckValue(argument, expected, fnPath);
                return;
            case "fn::toJSON":
                CheckValue(argument, PrimitiveTypeRef.Any, fnPath);
                result = Shape.String;
                break;
            case "fn::length":
                CheckValue(argument, PrimitiveTypeRef.Any, fnPath);
                result = Shape.Number;
                break;
            case "fn::singleOrNone":
                CheckValue(argument, new ListTypeRef(PrimitiveTypeRef.Any), fnPath);
                result = Shape.Any;
                break;
            case "fn::pulumiResourceName" or "fn::pulumiResourceType":
                CheckResourceSymbol(argument, fnPath, canonical, providerOf: null);
                result = Shape.String;
                break;
            case "fn::assetArchive":
                if (argument is YamlMappingNode entries && !IsBuiltinObject(entries))
                {
                    foreach (var (k, v) in entries.Children)
                        CheckValue(v, new UnionTypeRef([PrimitiveTypeRef.Asset, PrimitiveTypeRef.Archive]), $"{fnPath}.{Key(k)}");
                }
                else
                {
                    Report(ProblemKind.BuiltinArguments, fnPath, argument, "fn::assetArchive takes a mapping of paths to assets or archives");
                }
                result = Shape.Archive;
                break;
            case "fn::stringAsset" or "fn::fileAsset" or "fn::remoteAsset":
                CheckValue(argument, PrimitiveTypeRef.String, fnPath);
                result = Shape.Asset;
                break;
            case "fn::fileArchive" or "fn::remoteArchive":
                CheckValue(argument, PrimitiveTypeRef.String, fnPath);
                result = Shape.Archive;
                break;
            default: // toBase64, fromBase64, readFile, filebase64, filebase64sha256, sha1
                CheckValue(argument, PrimitiveTypeRef.String, fnPath);
                result = Shape.String;
                break;
        }
        Expect(result, expected, node, path, $"the result of {canonical} (a {result.ToString().ToLowerInvariant()})");
    }

    private (YamlNode, YamlNode)? Pair(YamlNode argument, string path, string form)
    {
        if (argument is YamlSequenceNode { Children.Count: 2 } list) return (list.Children[0], list.Children[1]);
        Report(ProblemKind.BuiltinArguments, path, argument, $"takes a two-element list {form}");
        CheckValue(argument, PrimitiveTypeRef.Any, path);
        return null;
    }

    private static readonly string[] InvokeFields = ["function", "arguments", "options", "return"];
    private static readonly string[] InvokeOptions = ["dependsOn", "parent", "provider", "version", "pluginDownloadURL"];

    private void CheckInvoke(YamlNode argument, string path)
    {
        if (argument is not YamlMappingNode map)
        {
            Report(ProblemKind.BuiltinArguments, path, argument, "fn::invoke takes a mapping {function, arguments, options, return}");
            return;
        }
        string? function = null;
        YamlMappingNode? options = null;
        foreach (var (k, v) in map.Children)
        {
            var field = Key(k) ?? "";
            var fieldPath = $"{path}.{field}";
            switch (field)
            {
                case "function" or "return":
                    if (ScalarShape(v) != Shape.String || ((YamlScalarNode)v).Value!.Contains("${", StringComparison.Ordinal))
                        Report(ProblemKind.BuiltinArguments, fieldPath, v, $"fn::invoke {field} must be a literal string");
                    else if (field == "function") function = ((YamlScalarNode)v).Value;
                    break;
                case "arguments":
                    CheckValue(v, PrimitiveTypeRef.Any, fieldPath);
                    break;
                case "options":
                    if (v is not YamlMappingNode o)
                    {
                        Report(ProblemKind.BuiltinArguments, fieldPath, v, "fn::invoke options must be a mapping");
                        break;
                    }
                    options = o;
                    foreach (var (ok, ov) in o.Children)
                    {
                        var option = Key(ok) ?? "";
                        if (!InvokeOptions.Contains(option, StringComparer.Ordinal))
                            Report(ProblemKind.UnknownOption, $"{fieldPath}.{option}", ok, $"'{option}' is not an invoke option{DidYouMean(option, InvokeOptions)}; invoke options are {string.Join(", ", InvokeOptions)}");
                        CheckValue(ov, PrimitiveTypeRef.Any, $"{fieldPath}.{option}");
                    }
                    break;
                default:
                    Report(ProblemKind.BuiltinArguments, fieldPath, k, $"'{field}' is not a field of fn::invoke{DidYouMean(field, InvokeFields)}; the fields are {string.Join(", ", InvokeFields)}");
                    break;
            }
        }
        if (function is null)
        {
            if (Child(map, "function") is null) Report(ProblemKind.BuiltinArguments, path, map, "fn::invoke needs a function token, e.g. aws:ec2/getAmi:getAmi");
            return;
        }
        if (!function.StartsWith(AwsPrefix, StringComparison.Ordinal)) return;
        var versionNode = options is null ? null : Child(options, "version");
        if (versionNode is null)
            Report(ProblemKind.MissingVersion, $"{path}.options.version", map, $"missing options.version on the invoke of {function}: pin @pulumi/aws {_pinned} on every invoke too");
        else if (versionNode is YamlScalarNode { Value: { } v2 } && NormalizeVersion(v2) != _pinned)
            Report(ProblemKind.WrongVersion, $"{path}.options.version", versionNode, $"options.version is '{v2}', but the pinned @pulumi/aws version is '{_pinned}'");
    }

    // ---- cycles -------------------------------------------------------------------------------------------------

    private void FindCycles()
    {
        // Tarjan's strongly connected components over resources and variables.
        var nodes = _resources.Keys.Select(n => "r:" + n).Concat(_variables.Keys.Where(v => !_resources.ContainsKey(v)).Select(n => "v:" + n))
            .Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();
        var counter = 0;

        IEnumerable<string> Next(string n) => _edges.TryGetValue(n, out var set) ? set : [];

        void Connect(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Next(v))
            {
                if (!index.ContainsKey(w))
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            if (component.Count > 1 || Next(v).Contains(v)) components.Add(component);
        }

        foreach (var n in nodes)
            if (!index.ContainsKey(n)) Connect(n);

        foreach (var component in components.OrderBy(c => c.Min(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            var members = new HashSet<string>(component, StringComparer.Ordinal);
            var start = component.Min(StringComparer.Ordinal)!;
            var cycle = CyclePath(start, members, Next);
            var names = cycle.Select(Display).ToList();
            var first = start.StartsWith("r:", StringComparison.Ordinal) ? _resources[start[2..]].Node : _variables[start[2..]];
            var location = start.StartsWith("r:", StringComparison.Ordinal) ? $"resources.{start[2..]}" : $"variables.{start[2..]}";
            Report(ProblemKind.Cycle, location, first,
                $"dependency cycle: {string.Join(" → ", names)} (through property references, dependsOn, parent, provider or deletedWith); members: {string.Join(", ", component.Select(Display).Order(StringComparer.Ordinal))}");
        }
    }

    private static string Display(string node) => node.StartsWith("v:", StringComparison.Ordinal) ? $"variables.{node[2..]}" : node[2..];

    /// <summary>A shortest path from <paramref name="start"/> back to itself inside one component.</summary>
    private static List<string> CyclePath(string start, HashSet<string> members, Func<string, IEnumerable<string>> next)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in next(v))
            {
                if (!members.Contains(w)) continue;
                if (w == start)
                {
                    var path = new List<string> { start };
                    for (var x = v; x != start; x = previous[x]) path.Insert(1, x);
                    path.Add(start);
                    return path;
                }
                if (previous.TryAdd(w, v)) queue.Enqueue(w);
            }
        }
        return [start, start];
    }

    // ---- YAML helpers -------------------------------------------------------------------------------------------

    private static string? Key(YamlNode node) => node is YamlScalarNode s ? s.Value : null;

    private static YamlNode? Child(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
            if (Key(k) == key) return v;
        return null;
    }

    private YamlMappingNode? AsMapping(YamlNode node, string path, string what)
    {
        if (node is YamlMappingNode map) return map;
        if (IsNull(node)) return null;
        Report(ProblemKind.WrongShape, path, node, $"{path} must be {what}");
        return null;
    }

    private static string? TopLevelCasing(string? key) =>
        key is null ? null : ConformanceChecker.TopLevelKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    private static bool IsNull(YamlNode node) => node is YamlScalarNode s && ScalarShape(s) is null;

    [GeneratedRegex(@"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex YamlNumber();

    /// <summary>The YAML 1.2 core-schema type of a scalar (what yaml.v3 gives Pulumi); null for null.</summary>
    private static Shape? ScalarShape(YamlNode node)
    {
        if (node is not YamlScalarNode s) return node is YamlSequenceNode ? Shape.List : Shape.Object;
        if (s.Style != ScalarStyle.Plain || (!s.Tag.IsEmpty && !s.Tag.IsNonSpecific && s.Tag.Value == "tag:yaml.org,2002:str")) return Shape.String;
        var v = s.Value ?? "";
        if (v is "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return Shape.Boolean;
        if (YamlNumber().IsMatch(v)) return Shape.Number;
        return Shape.String;
    }

    private static string Short(string text) => text.Length <= 60 ? text : text[..57] + "...";

    // ---- suggestions --------------------------------------------------------------------------------------------

    private static string DidYouMean(string name, IEnumerable<string> candidates) =>
        Suggest(name, candidates, Math.Max(2, name.Length / 3)) is { } s ? $" (did you mean '{s}'?)" : "";

    private static string? Suggest(string name, IEnumerable<string> candidates, int maxDistance)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (candidate == name) continue;
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase)) return candidate;
            if (Math.Abs(candidate.Length - name.Length) > maxDistance) continue;
            var d = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= maxDistance ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
