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
        var project = InputFile.LoadMap(projectFile, "run from the repository root (where Pulumi.yaml is) or pass --cwd DIR");
        var problems = new List<string>();
        ProjectName = Scalar(project, "name") ?? "";
        if (!ProjectNameRule().IsMatch(ProjectName))
            problems.Add(ProjectName.Length == 0
                ? "'name' is missing: every Pulumi project names itself (name: platform)"
                : $"'name' is '{InputFile.Shown(ProjectName)}': a project name is letters, digits, '-', '_' and '.' (at most 100)");
        var main = Scalar(project, "main");
        ProgramDirectory = main is null ? RootDirectory : Path.GetFullPath(Path.Combine(RootDirectory, main));
        if (!Directory.Exists(ProgramDirectory))
            problems.Add($"'main' is '{InputFile.Shown(main)}', but there is no directory {ProgramDirectory}");
        BackendUrl = project.Children.TryGetValue(new YamlScalarNode("backend"), out var backend) && backend is YamlMappingNode b ? Scalar(b, "url") : null;
        Compiler = project.Children.TryGetValue(new YamlScalarNode("runtime"), out var runtime) && runtime is YamlMappingNode r &&
                   r.Children.TryGetValue(new YamlScalarNode("options"), out var options) && options is YamlMappingNode o
            ? Scalar(o, "compiler")
            : null;
        if (problems.Count > 0)
            throw new InputFileException($"{projectFile}: " + string.Join("; ", problems) + ".", "fix Pulumi.yaml (see README.md, 'How it works')");
    }

    public string RootDirectory { get; }

    public string ProjectName { get; }

    /// <summary>Where Pulumi runs the compiler (the project's <c>main</c>).</summary>
    public string ProgramDirectory { get; }

    /// <summary>The state backend Pulumi.yaml names (backend.url), if any; PULUMI_BACKEND_URL overrides it.</summary>
    public string? BackendUrl { get; }

    /// <summary>The compiler command of Pulumi.yaml (runtime.options.compiler).</summary>
    public string? Compiler { get; }

    /// <summary>The compiler command as Pulumi runs it: split like a shell would, with no shell.</summary>
    public IReadOnlyList<string> CompilerArguments =>
        Shlex.Split(Compiler ?? throw new InputFileException($"{Path.Combine(RootDirectory, "Pulumi.yaml")} has no runtime.options.compiler.",
            "declare the compiler command under runtime: {name: yaml, options: {compiler: ...}}"));

    /// <summary>Finds the project root: <paramref name="start"/> or the nearest parent with Pulumi.yaml.</summary>
    public static ProjectLayout Discover(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml"))) return new ProjectLayout(dir.FullName);
        throw new InputFileException($"No Pulumi.yaml in {Path.GetFullPath(start)} or any parent directory.", "run from the repository or pass --cwd DIR");
    }

    public IReadOnlyList<string> Stacks => Infra.StackCompiler.KnownStacks(RootDirectory);

    public string StackFile(string stack) => Path.Combine(RootDirectory, $"Pulumi.{stack}.yaml");

    /// <summary>Reads Pulumi.&lt;stack&gt;.yaml into the flat form of PULUMI_CONFIG; a malformed file is bad input.</summary>
    public StackConfig ReadStack(string stack)
    {
        var path = StackFile(stack);
        if (!File.Exists(path))
            throw new InputFileException($"Unknown stack '{stack}': there is no Pulumi.{stack}.yaml. Known stacks: {string.Join(", ", Stacks)}.",
                $"use one of the known stacks, or create Pulumi.{stack}.yaml (docs/configuration.md)");
        var root = InputFile.LoadMap(path, $"create Pulumi.{stack}.yaml (docs/configuration.md)");
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secrets = new SortedSet<string>(StringComparer.Ordinal);
        if (root.Children.TryGetValue(new YamlScalarNode("config"), out var config) && config is not YamlMappingNode and not YamlScalarNode { Value: null or "" })
            throw new InputFileException($"{path}, line {config.Start.Line}: 'config' must be a map of keys to values, not a {InputFile.Describe(config)}.",
                $"write the settings under config: as 'key: value' lines (docs/configuration.md)");
        if (config is YamlMappingNode map)
        {
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                if (key.Length == 0 || key.StartsWith(':') || key.EndsWith(':'))
                    throw new InputFileException($"{path}, line {keyNode.Start.Line}: '{InputFile.Shown(key)}' is not a config key.",
                        "config keys are 'namespace:name' (aws:region) or a plain name of this project (docs/configuration.md)");
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

    /// <summary>
    /// Compiles a stack in-process from its Pulumi.&lt;stack&gt;.yaml: the compiler's own code path, so the template is the
    /// one Pulumi would get. A malformed stack file is bad input; invalid settings are in the result.
    /// </summary>
    /// <param name="config">The stack's config when the run changes it (an image to promote); its file's when null.</param>
    public Infra.CompileResult Compile(string stack, IReadOnlyDictionary<string, string>? config = null) =>
        Infra.StackCompiler.Compile(new Infra.CompileRequest(ProjectName, stack, config ?? ReadStack(stack).Values, RootDirectory));

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
                throw new InvalidOperationException($"Unsupported YAML node {node.NodeType} at {node.Start}.");
        }
    }

    /// <summary>Plain YAML 1.2 scalars: booleans, integers, floats and null keep their type, as Pulumi's YAML reader does.</summary>
    private static string PlainScalar(string text)
    {
        if (text is "true" or "false") return text;
        if (text is "null" or "~" or "") return "null";
        if (IntRule().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return integer.ToString(CultureInfo.InvariantCulture);
        if ((IntRule().IsMatch(text) || FloatRule().IsMatch(text)) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) &&
            double.IsFinite(number))
            return number.ToString("R", CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(text);
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntRule();

    [GeneratedRegex(@"^[-+]?((\.[0-9]+|(0|[1-9][0-9]*)\.[0-9]*)([eE][-+]?[0-9]+)?|(0|[1-9][0-9]*)[eE][-+]?[0-9]+)$")]
    private static partial Regex FloatRule();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex ProjectNameRule();

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;
}

/// <summary>
/// Bad input in a file the console reads, or in a path it was given: what is wrong and where, and the fix. The console
/// reports it like any bad input (exit 2). (This file is also compiled into tools that do not reference the console.)
/// </summary>
public sealed class InputFileException(string message, string fix) : Exception(message)
{
    public string Fix { get; } = fix;
}

/// <summary>
/// The one way the console reads a file it was given (Pulumi.yaml, the stack files, the rollout file, the allow-list):
/// a missing, unreadable or malformed file is an <see cref="InputFileException"/> (bad input: exit 2) that names the
/// file, the line and the fix, never a stack trace. YAML is refused when it is not one map, repeats a key in a map, or uses a list or a map as a key.
/// </summary>
public static class InputFile
{
    /// <summary>The file's text; <paramref name="fix"/> says how to provide it when it is missing.</summary>
    public static string ReadText(string path, string fix)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFileException($"{path} does not exist.", fix);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or NotSupportedException or ArgumentException)
        {
            throw new InputFileException($"{path} cannot be read: {(Directory.Exists(path) ? "it is a directory" : e.Message.TrimEnd('.'))}.",
                $"make it a readable file ({Reason(e)})");
        }
    }

    /// <summary>
    /// The file's YAML document as a map (an empty file is an empty map). <paramref name="fix"/> says how to provide
    /// the file when it is missing.
    /// </summary>
    public static YamlMappingNode LoadMap(string path, string fix) => ParseMap(path, ReadText(path, fix));

    /// <summary>Parses <paramref name="text"/>, the content of <paramref name="path"/>, as one YAML map.</summary>
    public static YamlMappingNode ParseMap(string path, string text)
    {
        var name = Path.GetFileName(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var problem = e.Message.StartsWith("Duplicate key", StringComparison.Ordinal)
                ? $"the key '{Shown(e.Message["Duplicate key".Length..].Trim())}' appears twice in the same map"
                : $"this is not valid YAML ({e.Message.TrimEnd('.')})";
            throw new InputFileException($"{path}, line {e.Start.Line}, column {e.Start.Column}: {problem}.",
                $"edit {name} at that line (a key may appear once per map; check the indentation and the quotes)");
        }
        if (stream.Documents.Count == 0) return new YamlMappingNode();
        if (stream.Documents.Count > 1)
            throw new InputFileException($"{path}, line {stream.Documents[1].RootNode.Start.Line}: the file holds {stream.Documents.Count} YAML documents; it must be one map.",
                $"remove the '---' separator and everything after it from {name}, or merge the documents");
        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode map)
            throw new InputFileException($"{path}, line {root.Start.Line}: the file must be a YAML map of keys to values, not a {Describe(root)}.",
                $"write {name} as 'key: value' lines (see docs/console.md)");
        var bad = NonScalarKeys(map).ToList();
        if (bad.Count > 0)
            throw new InputFileException($"{path}: " + string.Join("; ", bad.Select(k => $"line {k.Start.Line}, column {k.Start.Column}: a {Describe(k)} is used as a key")) + ".",
                $"keys in {name} are plain words like 'config' or 'aws:region'; a '-' or '[' before a key, or a '?' entry, makes it a list or map");
        return map;
    }

    /// <summary>A node as it reads in a message: its text for a scalar, else what kind of node it is.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "list",
        YamlMappingNode => "map",
        YamlScalarNode s when string.IsNullOrEmpty(s.Value) => "empty value",
        _ => "single value",
    };

    /// <summary>A value from a file as it may appear in a message: on one line, and cut as the compiler cuts config values.</summary>
    public static string Shown(string? value) => Infra.Settings.MessageMask.Shorten((value ?? "").ReplaceLineEndings(" "));

    private static IEnumerable<YamlNode> NonScalarKeys(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children)
                {
                    if (k is not YamlScalarNode) yield return k;
                    foreach (var inner in NonScalarKeys(v)) yield return inner;
                }
                break;
            case YamlSequenceNode s:
                foreach (var item in s.Children)
                    foreach (var inner in NonScalarKeys(item)) yield return inner;
                break;
        }
    }

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "check the path and its permissions",
        IOException => "check that nothing else holds it",
        _ => "check the path",
    };
}
