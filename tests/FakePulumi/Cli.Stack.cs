using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakePulumi;

/// <summary>The fake CLI's <c>pulumi stack</c> commands: ls, init, select, output, tag, history, export.</summary>
public sealed partial class Cli
{
    private int StackLs()
    {
        var list = new JsonArray();
        foreach (var s in Backend.Stacks())
        {
            var locked = Backend.ForeignLocks(s, null).Count > 0;
            var o = new JsonObject { ["name"] = s, ["current"] = false };
            if (Backend.LastUpdate(s) is { } t && !locked) o["lastUpdate"] = t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
            o["updateInProgress"] = locked;
            o["resourceCount"] = Backend.Load(s).Resources.Count;
            list.Add(o);
        }
        Console.WriteLine(list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private int StackInit(string? stack)
    {
        if (string.IsNullOrEmpty(stack)) throw new FakeError("error: missing stack name", 2, 255);
        RequirePassphrase();
        if (Backend.Exists(stack)) throw new FakeError($"error: stack '{stack}' already exists", 1, 255);
        Backend.Create(stack);
        if (_args.Value("--secrets-provider") is null or "passphrase" or "default") WriteEncryptionSalt(stack);
        Console.WriteLine($"Created stack '{stack}'");
        return 0;
    }

    /// <summary>
    /// The passphrase secrets provider (the default on DIY backends) keeps its salt in the project's stack file, as
    /// the real CLI does: <c>encryptionsalt: v1:&lt;salt&gt;:v1:&lt;nonce&gt;:&lt;check&gt;</c> in Pulumi.&lt;stack&gt;.yaml,
    /// created when missing (https://www.pulumi.com/docs/iac/concepts/secrets/#passphrase).
    /// </summary>
    private void WriteEncryptionSalt(string stack)
    {
        var file = Path.Combine(_args.Value("--cwd") ?? Directory.GetCurrentDirectory(), $"Pulumi.{stack}.yaml");
        var text = File.Exists(file) ? File.ReadAllText(file) : "";
        if (text.Split('\n').Any(l => l.StartsWith("encryptionsalt:", StringComparison.Ordinal))) return;
        string Random(int bytes) => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));
        File.WriteAllText(file, $"encryptionsalt: v1:{Random(8)}:v1:{Random(12)}:{Random(16)}\n" + text);
    }

    private int StackSelect(string? stack)
    {
        if (string.IsNullOrEmpty(stack)) throw new FakeError("error: no stack name given", 2, 255);
        if (!Backend.Exists(stack))
        {
            if (_args.Has("--create")) return StackInit(stack);
            throw new FakeError($"error: no stack named '{stack}' found", 6, 255);
        }
        return 0;
    }

    private int StackOutput()
    {
        var stack = Stack();
        RequireStack(stack);
        var state = Backend.Load(stack);
        var o = new JsonObject();
        foreach (var (k, v) in state.Outputs)
            o[k] = state.SecretOutputs.Contains(k) && !_args.Has("--show-secrets") ? "[secret]" : v?.DeepClone();
        Console.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private int StackTag(string verb, List<string> rest)
    {
        var stack = Stack();
        RequireStack(stack);
        var tags = Backend.Tags(stack);
        switch (verb)
        {
            case "ls":
                Console.WriteLine(JsonSerializer.Serialize(new SortedDictionary<string, string>(tags, StringComparer.Ordinal), new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            case "get":
                if (rest.Count < 1) throw new FakeError("error: accepts 1 arg(s), received 0", 2, 255);
                if (!tags.TryGetValue(rest[0], out var value)) throw new FakeError($"error: stack tag '{rest[0]}' not found for stack '{stack}'", 1, 255);
                Console.WriteLine(value);
                return 0;
            case "set":
                if (rest.Count < 2) throw new FakeError($"error: accepts 2 arg(s), received {rest.Count}", 2, 255);
                if (!System.Text.RegularExpressions.Regex.IsMatch(rest[0], "^[a-zA-Z0-9-_.:]{1,40}$"))
                    throw new FakeError($"error: invalid stack tag \"{rest[0]}\"", 1, 255);
                if (rest[1].Length > 256) throw new FakeError($"error: stack tag \"{rest[0]}\" value is too long (max length 256 characters)", 1, 255);
                tags[rest[0]] = rest[1];
                Backend.SetTags(stack, tags);
                return 0;
            case "rm":
                tags.Remove(rest.FirstOrDefault() ?? "");
                Backend.SetTags(stack, tags);
                return 0;
            default:
                throw new FakeError($"error: unknown command \"{verb}\" for \"pulumi stack tag\"", 1, 255);
        }
    }

    private int StackHistory()
    {
        var stack = Stack();
        RequireStack(stack);
        var items = Backend.History(stack).AsEnumerable();
        if (int.TryParse(_args.Value("--page-size"), out var size) && size > 0)
        {
            var page = int.TryParse(_args.Value("--page"), out var p) && p > 0 ? p : 1;
            items = items.Skip((page - 1) * size).Take(size);
        }
        var array = new JsonArray();
        foreach (var h in items)
            array.Add(new JsonObject
            {
                ["version"] = h.Version,
                ["kind"] = h.Kind,
                ["startTime"] = h.StartTime,
                ["message"] = h.Message,
                ["environment"] = new JsonObject(),
                ["config"] = new JsonObject(),
                ["result"] = h.Result,
                ["endTime"] = h.EndTime,
                ["resourceChanges"] = JsonSerializer.SerializeToNode(h.ResourceChanges),
            });
        Console.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private int StackExport()
    {
        var stack = Stack();
        RequireStack(stack);
        var state = Backend.Load(stack);
        var resources = new JsonArray();
        foreach (var r in state.Resources)
            resources.Add(new JsonObject { ["urn"] = r.Urn, ["type"] = r.Type, ["id"] = r.Id, ["custom"] = true, ["protect"] = r.Protect, ["inputs"] = r.Inputs.DeepClone(), ["outputs"] = r.Outputs.DeepClone() });
        var export = new JsonObject
        {
            ["version"] = 3,
            ["deployment"] = new JsonObject
            {
                ["manifest"] = new JsonObject { ["time"] = DateTimeOffset.UtcNow.ToString("O"), ["version"] = $"v{version}" },
                ["secrets_providers"] = new JsonObject { ["type"] = "passphrase" },
                ["resources"] = resources,
                ["pending_operations"] = new JsonArray(state.PendingOperations.Select(p => (JsonNode)p.DeepClone()).ToArray()),
            },
        };
        Console.WriteLine(export.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
