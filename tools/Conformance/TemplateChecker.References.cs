using YamlDotNet.RepresentationModel;
using static Platform.Conformance.Suggestions;

namespace Platform.Conformance;

// ${...} references: to a resource output, a variable, a declared config key or pulumi.*; each one is an edge of the
// dependency graph that the cycle check walks.
internal sealed partial class TemplateChecker
{
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
        var error = _types.WalkType(output.Type, reference.Accessors.Skip(1), $"{resource.Name}.{name}");
        if (error is not null) Report(ProblemKind.UnknownOutput, path, node, $"{text} {error}");
    }

    private void AddEdge(string target)
    {
        if (_owner is null) return;
        if (!_edges.TryGetValue(_owner, out var set)) _edges[_owner] = set = new SortedSet<string>(StringComparer.Ordinal);
        set.Add(target);
    }
}
