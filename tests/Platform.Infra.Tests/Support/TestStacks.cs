using System.Text.Json;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Tests.Support;

/// <summary>Builds stack configs the way Pulumi passes them (PULUMI_CONFIG) and compiles them in-process.</summary>
public static class TestStacks
{
    public const string Project = "platform";

    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A valid config: 2 AZs, single NAT, unprotected. Objects are JSON text, as in PULUMI_CONFIG.</summary>
    public static Dictionary<string, string> Config(Action<Dictionary<string, string>>? change = null)
    {
        var config = new Dictionary<string, string>
        {
            ["aws:region"] = "eu-west-1",
            ["aws:allowedAccountIds"] = """["111111111111"]""",
            ["aws:assumeRoles"] = """[{"roleArn":"arn:aws:iam::111111111111:role/platform-deployer","sessionName":"test"}]""",
            ["aws:defaultTags"] = """{"tags":{"Project":"platform","Environment":"test","ManagedBy":"pulumi","Owner":"team","CostCenter":"1"}}""",
            ["platform:profile"] = """{"protect":false,"disposableData":true,"logRetentionDays":30}""",
            ["platform:network"] = """{"cidr":"10.10.0.0/16","azCount":2,"natStrategy":"single"}""",
        };
        change?.Invoke(config);
        return config;
    }

    /// <summary>Replaces one field of an object setting, e.g. Set(c, "platform:network", "azCount", 3).</summary>
    public static void Set(Dictionary<string, string> config, string key, string field, object? value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(config.TryGetValue(key, out var text) ? text : "{}")!.AsObject();
        if (value is null) node.Remove(field);
        else node[field] = System.Text.Json.Nodes.JsonValue.Create(JsonSerializer.SerializeToElement(value));
        config[key] = node.ToJsonString();
    }

    public static CompileResult Compile(Dictionary<string, string> config, string stack = "test") =>
        StackCompiler.Compile(new CompileRequest(Project, stack, config));

    public static Template Template(Action<Dictionary<string, string>>? change = null)
    {
        var result = Compile(Config(change));
        Assert.True(result.Succeeded, result.ErrorMessage);
        return result.Template!;
    }

    public static IReadOnlyList<ConfigProblem> Problems(Action<Dictionary<string, string>> change, string stack = "test")
    {
        var result = Compile(Config(change), stack);
        Assert.False(result.Succeeded, "the config was expected to be refused");
        Assert.Null(result.Text);
        return result.Error!.Problems;
    }

    private static readonly Platform.Automation.Stacks.ProjectLayout Layout = new(RepoRoot);

    /// <summary>
    /// Compiles a checked-in stack (<c>Pulumi.&lt;stack&gt;.yaml</c>), with the object setting <paramref name="key"/>
    /// first changed by <paramref name="change"/> (created empty when the stack does not set it).
    /// </summary>
    public static CompileResult CompileChecked(string stack, string key, Action<System.Text.Json.Nodes.JsonObject>? change = null)
    {
        var config = Layout.ReadStack(stack).Values.ToDictionary();
        if (change is not null)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(config.GetValueOrDefault(key, "{}"))!.AsObject();
            change(node);
            config[key] = node.ToJsonString();
        }
        return StackCompiler.Compile(new CompileRequest(Layout.ProjectName, stack, config, Layout.RootDirectory));
    }
}

/// <summary>Reads a resource's rendered properties by path: "tags.Name", "rules[0].expiration.days".</summary>
public static class TemplateQuery
{
    public static Resource Get(this Template template, string logicalName) =>
        template.Find(logicalName) ?? throw new Xunit.Sdk.XunitException($"No resource '{logicalName}'. Resources: {string.Join(", ", template.Resources.Select(r => r.LogicalName))}");

    public static Value? Prop(this Resource resource, string path) => At(resource.Args.ToValue(), path);

    public static string? Text(this Resource resource, string path) => Text(resource.Prop(path), $"{resource.LogicalName}.{path}");

    /// <summary>A scalar as the template writes it (a reference as <c>${resource.path}</c>).</summary>
    public static string? Text(Value? value, string where = "the value") => value switch
    {
        null => null,
        StringValue s => s.Text,
        ReferenceValue r => "${" + r.Expression + "}",
        InterpolationValue i => i.Render(),
        NumberValue n => n.Render(),
        BoolValue b => b.Flag ? "true" : "false",
        var other => throw new Xunit.Sdk.XunitException($"{where} is a {other.GetType().Name}"),
    };

    public static Value? At(Value? value, string path)
    {
        foreach (var segment in Segments(path))
        {
            value = (value, segment) switch
            {
                (MapValue m, string key) => m[key],
                (ListValue l, int index) => index < l.Items.Count ? l.Items[index] : null,
                (FunctionValue f, string key) when f.Name == key => f.Argument,
                _ => null,
            };
            if (value is null) return null;
        }
        return value;
    }

    private static IEnumerable<object> Segments(string path)
    {
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[');
            yield return bracket < 0 ? part : part[..bracket];
            while (bracket >= 0)
            {
                var close = part.IndexOf(']', bracket);
                yield return int.Parse(part[(bracket + 1)..close]);
                bracket = part.IndexOf('[', close);
            }
        }
    }
}
