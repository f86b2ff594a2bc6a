using Platform.AwsSchema;
using YamlDotNet.RepresentationModel;
using static Platform.Conformance.YamlScalars;

namespace Platform.Conformance;

/// <summary>
/// One run of the checks over one template (see <see cref="ConformanceChecker"/>): this file holds the state and the
/// order of the passes; each pass is a part of this class in its own file (TemplateChecker.Config, .Resources,
/// .Options, .Values, .References, .Builtins).
/// </summary>
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

    private readonly Dictionary<string, ResourceInfo> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlNode> _variables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _config = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);
    private readonly string _pinned = NormalizeVersion(version);
    private readonly TypeWalker _types = new(schema);
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

        if (string.IsNullOrWhiteSpace(_project))
            Report(ProblemKind.MissingName, "name", root, "the template has no top-level 'name': Pulumi YAML (LoadFromCompiler) refuses a compiled template without one unless the program directory holds a Main.json, Main.yaml or Pulumi.yaml that names the project; write the project's name");

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

    /// <summary>Reports every dependency cycle among resources and variables.</summary>
    private void FindCycles()
    {
        var nodes = _resources.Keys.Select(n => "r:" + n).Concat(_variables.Keys.Where(v => !_resources.ContainsKey(v)).Select(n => "v:" + n))
            .Order(StringComparer.Ordinal).ToList();
        foreach (var (members, loop) in DependencyCycles.Find(nodes, n => _edges.TryGetValue(n, out var set) ? set : []))
        {
            var start = loop[0];
            var first = start.StartsWith("r:", StringComparison.Ordinal) ? _resources[start[2..]].Node : _variables[start[2..]];
            var location = start.StartsWith("r:", StringComparison.Ordinal) ? $"resources.{start[2..]}" : $"variables.{start[2..]}";
            Report(ProblemKind.Cycle, location, first,
                $"dependency cycle: {string.Join(" → ", loop.Select(Display))} (through property references, dependsOn, parent, provider or deletedWith); members: {string.Join(", ", members.Select(Display).Order(StringComparer.Ordinal))}");
        }
    }

    private static string Display(string node) => node.StartsWith("v:", StringComparison.Ordinal) ? $"variables.{node[2..]}" : node[2..];

    private YamlMappingNode? AsMapping(YamlNode node, string path, string what)
    {
        if (node is YamlMappingNode map) return map;
        if (IsNull(node)) return null;
        Report(ProblemKind.WrongShape, path, node, $"{path} must be {what}");
        return null;
    }

    private static string? TopLevelCasing(string? key) =>
        key is null ? null : ConformanceChecker.TopLevelKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
}
