using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Automation.Stacks;
using Platform.Infra.Model;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests.Migration;

/// <summary>
/// The migration fixture (tests/fixtures/migration.json): prod's config with a MySQL 8.4 database sized for 20 TB and
/// <c>platform:migration</c> over a Site-to-Site VPN. The conformance tests compile the same fixture.
/// </summary>
public static class MigrationStacks
{
    private static readonly ProjectLayout Layout = new(TestStacks.RepoRoot);

    /// <summary>The fixture's config, as Pulumi passes it, after <paramref name="change"/> edits its JSON objects (a removed one leaves the stack without that key).</summary>
    public static Dictionary<string, string> Config(Action<Dictionary<string, JsonObject>>? change = null)
    {
        var config = Layout.ReadStack("prod").Values.ToDictionary();
        var fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(TestStacks.RepoRoot, "tests", "fixtures", "migration.json")))!.AsObject();
        var objects = fixture.Where(p => !p.Key.StartsWith('_')).ToDictionary(p => p.Key, p => p.Value!.AsObject());
        var keys = objects.Keys.ToList();
        change?.Invoke(objects);
        foreach (var removed in keys.Where(k => !objects.ContainsKey(k))) config.Remove(removed);
        foreach (var (key, value) in objects) config[key] = value.ToJsonString();
        return config;
    }

    public static CompileResult Compile(Action<Dictionary<string, JsonObject>>? change = null) =>
        StackCompiler.Compile(new CompileRequest(Layout.ProjectName, "prod", Config(change), Layout.RootDirectory));

    public static Template Template(Action<Dictionary<string, JsonObject>>? change = null)
    {
        var result = Compile(change);
        Assert.True(result.Succeeded, result.ErrorMessage);
        return result.Template!;
    }

    public static JsonObject Migration(this Dictionary<string, JsonObject> c) => c["platform:migration"];

    public static JsonObject Database(this Dictionary<string, JsonObject> c) => c["platform:database"];

    /// <summary>A nested object of the migration setting (source, target, vpn, ...).</summary>
    public static JsonObject Part(this Dictionary<string, JsonObject> c, string field) =>
        (c.Migration()[field] ??= new JsonObject()).AsObject();

    public static JsonNode Node(object value) => JsonSerializer.SerializeToNode(value)!;
}
