using System.Text.RegularExpressions;
using Platform.AwsSchema;
using YamlDotNet.RepresentationModel;
using static Platform.Conformance.Suggestions;
using static Platform.Conformance.YamlScalars;

namespace Platform.Conformance;

// fn:: built-ins: the real ones in canonical casing, each with the arguments it takes and the shape of its result;
// invokes of the aws package pin the provider version.
internal sealed partial class TemplateChecker
{
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
}
