using System.Text.RegularExpressions;
using Platform.Automation.Pulumi;
using Platform.Automation.Stacks;
using Platform.Infra.Model;
using YamlDotNet.RepresentationModel;

namespace Platform.Automation.Plan;

/// <summary>One difference between stacks: a resource some stacks lack, or a property whose value differs.</summary>
/// <param name="Property">Null for presence (the resource exists only in some stacks).</param>
/// <param name="Values">Per stack, the normalised value (null: the stack lacks the resource or the property).</param>
public sealed record EnvironmentDifference(string Resource, string Type, string? Property, IReadOnlyDictionary<string, string?> Values)
{
    public string? AllowedBecause { get; init; }

    public bool Explained => AllowedBecause is not null;
}

/// <summary>A stack's template as the diff sees it: resources by logical name, each flattened to property path → text.</summary>
public sealed record StackShape(string Stack, IReadOnlyDictionary<string, (string Type, IReadOnlyDictionary<string, string> Properties)> Resources);

/// <summary>
/// Compares stacks by logical name (names are the same in every stack). Values are normalised first: the stack name,
/// its account ids and its region become <c>{stack}</c>, <c>{account}</c> and <c>{region}</c>, so that only real
/// differences remain (a CIDR, an AZ count, a protection flag).
/// </summary>
public static class EnvironmentDiff
{
    public static StackShape Shape(string stack, Template template, IEnumerable<string> accounts, string? region)
    {
        var replacements = new List<(Regex Rule, string With)> { (Token(stack), "{stack}") };
        replacements.AddRange(accounts.Where(a => a.Length > 0).Select(a => (Token(a), "{account}")));
        if (!string.IsNullOrEmpty(region)) replacements.Add((Token(region), "{region}"));
        var resources = new SortedDictionary<string, (string, IReadOnlyDictionary<string, string>)>(StringComparer.Ordinal);
        var root = template.ToValue();
        if (Entry(root, "resources") is not MapValue map) return new StackShape(stack, resources);
        foreach (var (name, value) in map.Entries)
        {
            if (value is not MapValue r) continue;
            var type = Entry(r, "type") is StringValue ts ? ts.Text : "?";
            var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (Entry(r, "properties") is { } props) Flatten(props, "", flat, replacements);
            if (Entry(r, "options") is { } options) Flatten(options, "options", flat, replacements);
            resources[name] = (type, flat);
        }
        return new StackShape(stack, resources);
    }

    public static IReadOnlyList<EnvironmentDifference> Compare(IReadOnlyList<StackShape> stacks, AllowList allow)
    {
        var differences = new List<EnvironmentDifference>();
        if (stacks.Count < 2) return differences;
        var names = stacks.SelectMany(s => s.Resources.Keys).Distinct().Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var present = stacks.Where(s => s.Resources.ContainsKey(name)).ToList();
            var type = present[0].Resources[name].Type;
            if (present.Count != stacks.Count)
            {
                var values = stacks.ToDictionary(s => s.Stack, s => s.Resources.ContainsKey(name) ? "present" : (string?)null);
                differences.Add(new EnvironmentDifference(name, type, null, values) { AllowedBecause = allow.Explain(name, null) });
            }
            if (present.Count < 2) continue;
            var paths = present.SelectMany(s => s.Resources[name].Properties.Keys).Distinct().Order(StringComparer.Ordinal);
            foreach (var path in paths)
            {
                var values = stacks.ToDictionary(s => s.Stack,
                    s => s.Resources.TryGetValue(name, out var r) ? r.Properties.GetValueOrDefault(path) : null);
                var distinct = present.Select(s => values[s.Stack]).Distinct().Count();
                if (distinct > 1)
                    differences.Add(new EnvironmentDifference(name, type, path, values) { AllowedBecause = allow.Explain(name, path) });
            }
        }
        return differences;
    }

    private static Value? Entry(MapValue map, string key) => map.Entries.FirstOrDefault(e => e.Key == key).Value;

    private static Regex Token(string text) => new($"(?<![A-Za-z0-9]){Regex.Escape(text)}(?![A-Za-z0-9])", RegexOptions.CultureInvariant);

    private static void Flatten(Value value, string path, IDictionary<string, string> into, IReadOnlyList<(Regex Rule, string With)> replacements)
    {
        switch (value)
        {
            case MapValue m:
                foreach (var (k, v) in m.Entries) Flatten(v, path.Length == 0 ? k : $"{path}.{k}", into, replacements);
                if (m.Entries.Count == 0) into[path] = "{}";
                break;
            case ListValue l:
                for (var i = 0; i < l.Items.Count; i++) Flatten(l.Items[i], $"{path}[{i}]", into, replacements);
                if (l.Items.Count == 0) into[path] = "[]";
                break;
            case FunctionValue f:
                Flatten(f.Argument, $"{path}.{f.Name}", into, replacements);
                break;
            default:
                into[path] = Normalise(Text(value), replacements);
                break;
        }
    }

    private static string Text(Value value) => value switch
    {
        StringValue s => s.Text,
        NumberValue n => n.Render(),
        BoolValue b => b.Flag ? "true" : "false",
        ReferenceValue r => "${" + r.Expression + "}",
        ConfigValue c => "${" + c.Key + "}",
        InterpolationValue i => i.Render(),
        _ => value.ToString() ?? "",
    };

    private static string Normalise(string text, IReadOnlyList<(Regex Rule, string With)> replacements)
    {
        foreach (var (rule, with) in replacements) text = rule.Replace(text, with);
        return text;
    }
}

/// <summary>One intentional difference: a resource glob, an optional property glob, and why.</summary>
public sealed record AllowRule(string Resource, string? Property, bool Presence, string Reason);

/// <summary>The checked-in list of intentional differences between stacks (plan-allow.yaml).</summary>
public sealed class AllowList(IReadOnlyList<AllowRule> rules)
{
    public const string DefaultFileName = "plan-allow.yaml";

    private static readonly string[] EntryKeys = ["resource", "property", "presence", "reason"];

    public static readonly AllowList Empty = new([]);

    public IReadOnlyList<AllowRule> Rules => rules;

    /// <summary>The reason a difference is intended, or null when nothing explains it.</summary>
    public string? Explain(string resource, string? property) => rules.FirstOrDefault(r =>
        Glob(r.Resource, resource) &&
        (property is null ? r.Presence : r.Property is not null && (Glob(r.Property, property) || PropertyPath.IsWithin(property, r.Property))))?.Reason;

    private static bool Glob(string pattern, string text) =>
        Regex.IsMatch(text, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Loads the allow-list. A missing file is an empty list only when it was not asked for by name
    /// (<paramref name="required"/> false: the default plan-allow.yaml is optional).
    /// </summary>
    public static AllowList Load(string path, bool required)
    {
        if (!required && !File.Exists(path)) return Empty;
        var name = Path.GetFileName(path);
        var root = InputFile.LoadMap(path, "check the path given to --allow-list (the default is plan-allow.yaml next to Pulumi.yaml)");
        if (root.Children.Count == 0) return Empty;
        if (!root.Children.TryGetValue(new YamlScalarNode("allow"), out var list) || list is not YamlSequenceNode seq)
            throw new BadInputException($"{path} must be a map with an 'allow' list of {{resource, property | presence, reason}}.",
                $"write {name} as in docs/console.md ('The environment difference report')");
        var result = new List<AllowRule>();
        var problems = new List<string>();
        var i = 0;
        foreach (var item in seq.Children)
        {
            i++;
            if (item is not YamlMappingNode m)
            {
                problems.Add($"entry #{i} must be a map");
                continue;
            }
            string? Get(string key) => m.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode s ? s.Value : null;
            var resource = Get("resource");
            var property = Get("property");
            var presence = Get("presence") == "true";
            var reason = Get("reason");
            if (Get("presence") is not (null or "true" or "false")) problems.Add($"entry #{i}: presence must be true or false");
            foreach (var key in m.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").Where(k => !EntryKeys.Contains(k)))
                problems.Add($"entry #{i}: unknown key '{InputFile.Shown(key)}' (known: {string.Join(", ", EntryKeys)})");
            if (string.IsNullOrWhiteSpace(resource)) problems.Add($"entry #{i} has no resource (a logical-name glob such as network-*)");
            if (property is null && !presence) problems.Add($"entry #{i} needs a property glob or presence: true");
            if (string.IsNullOrWhiteSpace(reason)) problems.Add($"entry #{i} has no reason: say why the stages differ");
            result.Add(new AllowRule(resource ?? "", property, presence, reason ?? ""));
        }
        foreach (var key in root.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Where(k => k != "allow"))
            problems.Add($"unknown top-level key '{InputFile.Shown(key)}' (only 'allow')");
        if (problems.Count > 0)
            throw new BadInputException($"{path} has {problems.Count} problem(s):\n" + string.Join("\n", problems.Select(p => "  - " + p)),
                $"fix {name} (see docs/console.md, 'The environment difference report')");
        return new AllowList(result);
    }
}
