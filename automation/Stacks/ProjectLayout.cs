using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Automation.Stacks;

/// <summary>A stack's config as Pulumi hands it to the compiler: <c>"namespace:key"</c> → string, objects and lists as JSON.</summary>
/// <param name="SecretKeys">Keys whose value is encrypted in the stack file (<c>secure:</c>); offline they hold a placeholder.</param>
public sealed record StackConfig(string Stack, IReadOnlyDictionary<string, string> Values, IReadOnlySet<string> SecretKeys);

/// <summary>
/// The Pulumi project on disk: Pulumi.yaml and its Pulumi.&lt;stack&gt;.yaml files. Reads stack config the way the CLI
/// passes it to the compiler (PULUMI_CONFIG), so that an offline compile sees what Pulumi's would.
/// </summary>
public sealed partial class ProjectLayout
{
    /// <summary>What an encrypted value becomes offline: never the ciphertext, never a guess.</summary>
    public const string SecretPlaceholder = "[secret]";

    public ProjectLayout(string rootDirectory)
    {
        RootDirectory = Path.GetFullPath(rootDirectory);
        var projectFile = Path.Combine(RootDirectory, "Pulumi.yaml");
        if (!File.Exists(projectFile))
            throw new FileNotFoundException($"No Pulumi.yaml in {RootDirectory}: run from the repository root or pass --cwd.", projectFile);
        var project = Load(projectFile);
        ProjectName = Scalar(project, "name") ?? throw new InvalidDataException($"{projectFile} has no name.");
        var main = Scalar(project, "main");
        ProgramDirectory = main is null ? RootDirectory : Path.GetFullPath(Path.Combine(RootDirectory, main));
        Compiler = project.Children.TryGetValue(new YamlScalarNode("runtime"), out var runtime) && runtime is YamlMappingNode r &&
                   r.Children.TryGetValue(new YamlScalarNode("options"), out var options) && options is YamlMappingNode o
            ? Scalar(o, "compiler")
            : null;
    }

    public string RootDirectory { get; }

    public string ProjectName { get; }

    /// <summary>Where Pulumi runs the compiler (the project's <c>main</c>).</summary>
    public string ProgramDirectory { get; }

    /// <summary>The compiler command of Pulumi.yaml (runtime.options.compiler).</summary>
    public string? Compiler { get; }

    /// <summary>The compiler command as Pulumi runs it: split like a shell would, with no shell.</summary>
    public IReadOnlyList<string> CompilerArguments =>
        Shlex.Split(Compiler ?? throw new InvalidDataException("Pulumi.yaml has no runtime.options.compiler."));

    /// <summary>Finds the project root: <paramref name="start"/> or the nearest parent with Pulumi.yaml.</summary>
    public static ProjectLayout Discover(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml"))) return new ProjectLayout(dir.FullName);
        throw new FileNotFoundException($"No Pulumi.yaml in {start} or any parent directory: run from the repository or pass --cwd.");
    }

    public IReadOnlyList<string> Stacks => Infra.StackCompiler.KnownStacks(RootDirectory);

    public string StackFile(string stack) => Path.Combine(RootDirectory, $"Pulumi.{stack}.yaml");

    /// <summary>Reads Pulumi.&lt;stack&gt;.yaml into the flat form of PULUMI_CONFIG.</summary>
    public StackConfig ReadStack(string stack)
    {
        var path = StackFile(stack);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Unknown stack '{stack}': there is no Pulumi.{stack}.yaml. Known stacks: {string.Join(", ", Stacks)}.", path);
        var root = Load(path);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secrets = new SortedSet<string>(StringComparer.Ordinal);
        if (root.Children.TryGetValue(new YamlScalarNode("config"), out var config) && config is YamlMappingNode map)
        {
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                if (!key.Contains(':')) key = $"{ProjectName}:{key}";
                var hasSecret = false;
                var json = ToJson(valueNode, ref hasSecret);
                if (hasSecret) secrets.Add(key);
                values[key] = valueNode is YamlScalarNode || IsSecure(valueNode)
                    ? (IsSecure(valueNode) ? SecretPlaceholder : ScalarText(json))
                    : json;
            }
        }
        return new StackConfig(stack, values, secrets);
    }

    private static string ScalarText(string json) => json.StartsWith('"') ? JsonSerializer.Deserialize<string>(json)! : json;

    private static bool IsSecure(YamlNode node) =>
        node is YamlMappingNode m && m.Children.Count == 1 && m.Children.ContainsKey(new YamlScalarNode("secure"));

    private static string ToJson(YamlNode node, ref bool hasSecret)
    {
        switch (node)
        {
            case YamlMappingNode m when IsSecure(m):
                hasSecret = true;
                return JsonSerializer.Serialize(SecretPlaceholder);
            case YamlMappingNode m:
            {
                var text = new StringBuilder("{");
                var first = true;
                foreach (var (k, v) in m.Children)
                {
                    if (!first) text.Append(',');
                    first = false;
                    text.Append(JsonSerializer.Serialize(((YamlScalarNode)k).Value ?? "")).Append(':').Append(ToJson(v, ref hasSecret));
                }
                return text.Append('}').ToString();
            }
            case YamlSequenceNode s:
            {
                var items = new List<string>();
                foreach (var item in s.Children) items.Add(ToJson(item, ref hasSecret));
                return "[" + string.Join(",", items) + "]";
            }
            case YamlScalarNode { Style: ScalarStyle.Plain } p:
                return PlainScalar(p.Value ?? "");
            case YamlScalarNode q:
                return JsonSerializer.Serialize(q.Value ?? "");
            default:
                throw new InvalidDataException($"Unsupported YAML node {node.NodeType} at {node.Start}.");
        }
    }

    /// <summary>Plain YAML 1.2 scalars: booleans, integers, floats and null keep their type, as Pulumi's YAML reader does.</summary>
    private static string PlainScalar(string text)
    {
        if (text is "true" or "false") return text;
        if (text is "null" or "~" or "") return "null";
        if (IntRule().IsMatch(text)) return long.Parse(text, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        if (FloatRule().IsMatch(text)) return double.Parse(text, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(text);
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntRule();

    [GeneratedRegex(@"^[-+]?((\.[0-9]+|(0|[1-9][0-9]*)\.[0-9]*)([eE][-+]?[0-9]+)?|(0|[1-9][0-9]*)[eE][-+]?[0-9]+)$")]
    private static partial Regex FloatRule();

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}", e);
        }
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m
            ? m
            : throw new InvalidDataException($"{Path.GetFileName(path)} must be a YAML map.");
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;
}
