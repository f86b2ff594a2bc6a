using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakePulumi;

/// <summary>One resource in the fake's state.</summary>
public sealed class ResourceState
{
    public string Urn { get; set; } = "";
    public string Type { get; set; } = "";
    public string Id { get; set; } = "";
    public JsonObject Inputs { get; set; } = [];
    public JsonObject Outputs { get; set; } = [];
    public bool Protect { get; set; }
}

public sealed class StackState
{
    public int Version { get; set; }
    public List<ResourceState> Resources { get; set; } = [];
    public JsonObject Outputs { get; set; } = [];
    public List<string> SecretOutputs { get; set; } = [];
    public List<JsonObject> PendingOperations { get; set; } = [];
}

public sealed class HistoryItem
{
    public int Version { get; set; }
    public string Kind { get; set; } = "update";
    public string StartTime { get; set; } = "";
    public string? EndTime { get; set; }
    public string Message { get; set; } = "";
    public string Result { get; set; } = "succeeded";
    public Dictionary<string, int> ResourceChanges { get; set; } = [];
}

/// <summary>
/// A DIY backend on disk, laid out like pulumi's: <c>.pulumi/stacks/&lt;project&gt;/&lt;stack&gt;.json</c>, tags in
/// <c>&lt;stack&gt;.pulumi-tags</c>, history, and lock files under <c>.pulumi/locks/organization/&lt;project&gt;/&lt;stack&gt;/</c>.
/// </summary>
public sealed class Backend(string root, string project)
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Root { get; } = root;

    public string Url => "file://" + Root;

    private string StacksDir => Path.Combine(Root, ".pulumi", "stacks", project);

    public string LockDir(string stack) => Path.Combine(Root, ".pulumi", "locks", "organization", project, stack);

    private string StateFile(string stack) => Path.Combine(StacksDir, stack + ".json");

    private string TagFile(string stack) => Path.Combine(StacksDir, stack + ".pulumi-tags");

    private string HistoryFile(string stack) => Path.Combine(Root, ".pulumi", "history", project, stack, "history.json");

    public IEnumerable<string> Stacks() =>
        Directory.Exists(StacksDir)
            ? Directory.EnumerateFiles(StacksDir, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)
            : [];

    public bool Exists(string stack) => File.Exists(StateFile(stack));

    public StackState Load(string stack) => JsonSerializer.Deserialize<StackState>(File.ReadAllText(StateFile(stack)), Json)!;

    public void Save(string stack, StackState state) => WriteAtomically(StateFile(stack), JsonSerializer.Serialize(state, Json));

    public void Create(string stack)
    {
        Directory.CreateDirectory(StacksDir);
        Save(stack, new StackState());
    }

    public DateTimeOffset? LastUpdate(string stack) => History(stack).FirstOrDefault() is { EndTime: { } end } ? DateTimeOffset.Parse(end) : null;

    public Dictionary<string, string> Tags(string stack)
    {
        var tags = File.Exists(TagFile(stack))
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(TagFile(stack)))!
            : new Dictionary<string, string>();
        // pulumi adds the built-in tags.
        tags["pulumi:project"] = project;
        tags["pulumi:runtime"] = "yaml";
        return tags;
    }

    public void SetTags(string stack, Dictionary<string, string> tags)
    {
        foreach (var k in tags.Keys.Where(k => k.StartsWith("pulumi:", StringComparison.Ordinal)).ToList()) tags.Remove(k);
        WriteAtomically(TagFile(stack), JsonSerializer.Serialize(tags, Json));
    }

    public List<HistoryItem> History(string stack) =>
        File.Exists(HistoryFile(stack)) ? JsonSerializer.Deserialize<List<HistoryItem>>(File.ReadAllText(HistoryFile(stack)), Json)! : [];

    public void AddHistory(string stack, HistoryItem item)
    {
        var all = History(stack);
        all.Insert(0, item);
        Directory.CreateDirectory(Path.GetDirectoryName(HistoryFile(stack))!);
        WriteAtomically(HistoryFile(stack), JsonSerializer.Serialize(all, Json));
    }

    /// <summary>The lock files of other processes.</summary>
    public List<string> ForeignLocks(string stack, string? mine) =>
        Directory.Exists(LockDir(stack)) ? Directory.EnumerateFiles(LockDir(stack), "*.json").Where(f => f != mine).Order().ToList() : [];

    public string Lock(string stack)
    {
        Directory.CreateDirectory(LockDir(stack));
        var file = Path.Combine(LockDir(stack), Guid.NewGuid() + ".json");
        File.WriteAllText(file, JsonSerializer.Serialize(new
        {
            pid = Environment.ProcessId,
            username = Environment.UserName,
            hostname = Environment.MachineName,
            timestamp = DateTimeOffset.UtcNow.ToString("O"),
        }));
        return file;
    }

    public int RemoveLocks(string stack)
    {
        var locks = ForeignLocks(stack, null);
        foreach (var l in locks) File.Delete(l);
        return locks.Count;
    }

    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
