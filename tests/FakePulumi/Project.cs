using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Automation.Stacks;
using YamlDotNet.RepresentationModel;

namespace FakePulumi;

/// <summary>A resource of the compiled template.</summary>
public sealed record TemplateResource(string Name, string Type, JsonObject Properties, bool Protect, IReadOnlyList<string> ReplaceOnChanges);

public sealed record CompiledTemplate(IReadOnlyList<TemplateResource> Resources, JsonObject Outputs);

/// <summary>Pulumi.yaml and the stack files, and the compiler contract as pulumi-yaml implements it.</summary>
public sealed class Project
{
    public Project(string root)
    {
        Root = Path.GetFullPath(root);
        var file = Path.Combine(Root, "Pulumi.yaml");
        if (!File.Exists(file)) throw new FakeError($"error: no Pulumi.yaml project file found (searching upwards from {Root}). If you have not created a project yet, use `pulumi new` to do so", 1, 255);
        var doc = Load(file);
        Name = Scalar(doc, "name") ?? "project";
        var main = Scalar(doc, "main");
        ProgramDir = main is null ? Root : Path.GetFullPath(Path.Combine(Root, main));
        if (doc.Children.TryGetValue(new YamlScalarNode("runtime"), out var rt) && rt is YamlMappingNode r &&
            r.Children.TryGetValue(new YamlScalarNode("options"), out var o) && o is YamlMappingNode om)
            Compiler = Scalar(om, "compiler");
    }

    public string Root { get; }

    public string Name { get; }

    public string ProgramDir { get; }

    public string? Compiler { get; }

    public string Urn(string stack, string type, string name) => $"urn:pulumi:{stack}::{Name}::{type}::{name}";

    public string StackUrn(string stack) => Urn(stack, "pulumi:pulumi:Stack", $"{Name}-{stack}");

    /// <summary>The stack's config as PULUMI_CONFIG carries it; secure values are decrypted (the fake's "cipher" is <c>fake:&lt;base64&gt;</c>).</summary>
    public (Dictionary<string, string> Values, HashSet<string> Secrets) Config(string stack)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        var path = Path.Combine(Root, $"Pulumi.{stack}.yaml");
        if (!File.Exists(path)) return (values, secrets);
        var doc = Load(path);
        if (!doc.Children.TryGetValue(new YamlScalarNode("config"), out var c) || c is not YamlMappingNode config) return (values, secrets);
        foreach (var (k, v) in config.Children)
        {
            var key = ((YamlScalarNode)k).Value!;
            if (!key.Contains(':')) key = $"{Name}:{key}";
            var secret = false;
            var node = ToJson(v, ref secret);
            if (secret) secrets.Add(key);
            values[key] = node is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";
        }
        return (values, secrets);
    }

    /// <summary>
    /// <c>pulumi config set --path KEY VALUE</c>: KEY is a config key (<c>namespace:name</c>) then '.'-separated map
    /// keys, created when missing; the stack file is written back (comments are not kept, unlike the real CLI).
    /// </summary>
    public void SetConfig(string stack, string path, string value)
    {
        var file = Path.Combine(Root, $"Pulumi.{stack}.yaml");
        var doc = File.Exists(file) ? Load(file) : new YamlMappingNode();
        var parts = path.Split('.');
        if (parts.Any(p => p.Length == 0)) throw new FakeError($"error: invalid config key path '{path}'", 1, 255);
        YamlMappingNode Child(YamlMappingNode parent, string key)
        {
            if (parent.Children.TryGetValue(new YamlScalarNode(key), out var existing) && existing is YamlMappingNode m) return m;
            var created = new YamlMappingNode();
            parent.Children[new YamlScalarNode(key)] = created;
            return created;
        }
        var node = Child(doc, "config");
        foreach (var key in parts[..^1]) node = Child(node, key);
        node.Children[new YamlScalarNode(parts[^1])] = new YamlScalarNode(value);
        using var writer = new StreamWriter(file);
        new YamlStream(new YamlDocument(doc)).Save(writer, assignAnchors: false);
    }

    private static JsonNode? ToJson(YamlNode node, ref bool secret)
    {
        switch (node)
        {
            case YamlMappingNode m when m.Children.Count == 1 && m.Children.ContainsKey(new YamlScalarNode("secure")):
                secret = true;
                var cipher = ((YamlScalarNode)m.Children[new YamlScalarNode("secure")]).Value ?? "";
                if (!cipher.StartsWith("fake:", StringComparison.Ordinal))
                    throw new FakeError("error: failed to decrypt configuration value: the fake only decrypts values written as `secure: fake:<base64>`", 1, 255);
                return JsonValue.Create(Encoding.UTF8.GetString(Convert.FromBase64String(cipher["fake:".Length..])));
            case YamlMappingNode m:
            {
                var o = new JsonObject();
                foreach (var (k, v) in m.Children) o[((YamlScalarNode)k).Value!] = ToJson(v, ref secret);
                return o;
            }
            case YamlSequenceNode s:
            {
                var a = new JsonArray();
                foreach (var item in s.Children) a.Add(ToJson(item, ref secret));
                return a;
            }
            case YamlScalarNode sc:
                return JsonValue.Create(sc.Value ?? "");
            default:
                return null;
        }
    }

    /// <summary>
    /// Runs the compiler command the way pulumi-yaml does: shlex-split, no shell, cwd = program dir, the compiler
    /// variables first and the inherited environment last (so an inherited PULUMI_STACK / PULUMI_CONFIG wins, as in Go's
    /// exec with duplicate keys). With <paramref name="stack"/> null it is plugin discovery: no variables at all.
    /// </summary>
    public string RunCompiler(string? stack, IReadOnlyDictionary<string, string>? config)
    {
        if (Compiler is null) throw new FakeError("error: this fake only supports YAML projects with runtime.options.compiler", 1, 255);
        var argv = Shlex.Split(Compiler);
        var start = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = ProgramDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a);
        var inherited = start.Environment.ToDictionary(e => e.Key, e => e.Value);
        start.Environment.Clear();
        if (stack is not null)
        {
            start.Environment["PULUMI_STACK"] = stack;
            start.Environment["PULUMI_PROJECT"] = Name;
            start.Environment["PULUMI_ORGANIZATION"] = "organization";
            start.Environment["PULUMI_ROOT_DIRECTORY"] = Root;
            start.Environment["PULUMI_CONFIG"] = JsonSerializer.Serialize(config);
        }
        foreach (var (k, v) in inherited) start.Environment[k] = v;
        Process p;
        try
        {
            p = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FakeError($"error: error running compiler {argv[0]}: {e.Message}", 1, 255);
        }
        p.StandardInput.Close();
        var stderrTask = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var stderr = stderrTask.Result;
        if (p.ExitCode != 0)
        {
            var what = stack is null ? "failed to discover package requirements: " : "";
            throw new FakeError($"error: {what}error running compiler {argv[0]}: exit status {p.ExitCode}, stderr follows: {stderr}", 1, 255);
        }
        return stdout;
    }

    public CompiledTemplate ParseTemplate(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FakeError($"error: failed to load template: <stdout from compiler>: {e.Message}", 1, 255);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FakeError("error: compiler did not produce a valid template", 1, 255);
        if (string.IsNullOrEmpty(Scalar(root, "name")) && string.IsNullOrEmpty(ProgramDirectoryName()))
            throw new FakeError("error: compiler did not produce a valid template", 1, 255);
        var resources = new List<TemplateResource>();
        if (root.Children.TryGetValue(new YamlScalarNode("resources"), out var rs) && rs is YamlMappingNode rmap)
            foreach (var (k, v) in rmap.Children)
            {
                var r = (YamlMappingNode)v;
                var name = ((YamlScalarNode)k).Value!;
                var type = Scalar(r, "type") ?? throw new FakeError($"error: resource {name} has no type", 1, 255);
                var secret = false;
                var props = r.Children.TryGetValue(new YamlScalarNode("properties"), out var pn) ? ToJson(pn, ref secret) as JsonObject ?? [] : [];
                var protect = false;
                var roc = new List<string>();
                if (r.Children.TryGetValue(new YamlScalarNode("options"), out var on) && on is YamlMappingNode om)
                {
                    protect = Scalar(om, "protect") == "true";
                    if (om.Children.TryGetValue(new YamlScalarNode("replaceOnChanges"), out var rc) && rc is YamlSequenceNode rcs)
                        roc.AddRange(rcs.Children.OfType<YamlScalarNode>().Select(s => s.Value!));
                }
                resources.Add(new TemplateResource(name, type, props, protect, roc));
            }
        var outputs = new JsonObject();
        if (root.Children.TryGetValue(new YamlScalarNode("outputs"), out var os) && os is YamlMappingNode omap)
        {
            var secret = false;
            foreach (var (k, v) in omap.Children) outputs[((YamlScalarNode)k).Value!] = ToJson(v, ref secret);
        }
        return new CompiledTemplate(resources, outputs);
    }

    /// <summary>
    /// pulumi-yaml's LoadFromCompiler: a compiled template without a top-level <c>name</c> takes it from the first of
    /// Main.json, Main.yaml and Pulumi.yaml in the program directory (LoadDir); none there, or none with a name, and
    /// the template is refused.
    /// </summary>
    private string? ProgramDirectoryName()
    {
        foreach (var file in new[] { "Main.json", "Main.yaml", "Pulumi.yaml" })
        {
            var path = Path.Combine(ProgramDir, file);
            if (!File.Exists(path)) continue;
            try
            {
                return Scalar(Load(path), "name");
            }
            catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException)
            {
                return null;
            }
        }
        return null;
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Scalar(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode s ? s.Value : null;
}

/// <summary>A failure the fake reports like pulumi: a message on stderr and an exit code (new taxonomy, pre-3.227).</summary>
public sealed class FakeError(string message, int exitCode, int legacyExitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public int LegacyExitCode { get; } = legacyExitCode;
}
