using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Platform.Conformance.Suggestions;
using static Platform.Conformance.YamlScalars;

namespace Platform.Conformance;

// The config: block: every declaration well formed; the declared keys are what ${key} may reference.
internal sealed partial class TemplateChecker
{
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
}
