using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakePulumi;

/// <summary>The engine, reporting: the engine events of the event log, the history entry, and the console output.</summary>
public sealed partial class Engine
{
    private static string Name(string urn) => urn[(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)..];

    private void Prelude((Dictionary<string, string> Values, HashSet<string> Secrets) config)
    {
        var c = new JsonObject();
        foreach (var (k, v) in config.Values.OrderBy(k => k.Key, StringComparer.Ordinal))
            c[k] = config.Secrets.Contains(k) ? "[secret]" : v;
        _log.Write("preludeEvent", new JsonObject { ["config"] = c });
    }

    private Dictionary<string, int> Emit(List<Step> steps, bool planning)
    {
        var counts = new Dictionary<string, int>();
        foreach (var step in steps)
        {
            if (step.Op == "replace")
            {
                // A replacement is create-replacement, replace (the logical step) and delete-replaced.
                _log.Write("resourcePreEvent", Metadata(step with { Op = "create-replacement" }, planning));
                _log.Write("resourcePreEvent", Metadata(step, planning));
                _log.Write("resourcePreEvent", Metadata(step with { Op = "delete-replaced" }, planning));
            }
            else _log.Write("resourcePreEvent", Metadata(step, planning));
            _log.Write("resOutputsEvent", Metadata(step, planning));
            counts[step.Op] = counts.GetValueOrDefault(step.Op) + 1;
        }
        var same = Backend.Load(stack).Resources.Count - steps.Count(s => s.Op != "create");
        if (same > 0) counts["same"] = same;
        return counts;
    }

    private JsonObject Metadata(Step step, bool planning)
    {
        JsonNode? State(ResourceState? r) => r is null ? null : new JsonObject
        {
            ["type"] = r.Type, ["urn"] = r.Urn, ["custom"] = true, ["id"] = r.Id, ["parent"] = Project.StackUrn(stack),
            ["protect"] = r.Protect, ["inputs"] = new JsonObject(), ["outputs"] = new JsonObject(), ["provider"] = "",
        };
        JsonNode? New(TemplateResource? r) => r is null ? null : new JsonObject
        {
            ["type"] = r.Type, ["urn"] = step.Urn, ["custom"] = true, ["id"] = "", ["parent"] = Project.StackUrn(stack),
            ["protect"] = r.Protect, ["inputs"] = new JsonObject(), ["outputs"] = new JsonObject(), ["provider"] = "",
        };
        JsonNode? detailed = null;
        if (step.Diffs.Count > 0)
        {
            var d = new JsonObject();
            foreach (var key in step.Diffs)
            {
                var kind = step.Old?.Inputs.ContainsKey(key) != true ? "add" : step.New?.Properties.ContainsKey(key) != true ? "delete" : "update";
                d[key] = new JsonObject { ["diffKind"] = step.Keys.Contains(key) ? kind + "-replace" : kind, ["inputDiff"] = true };
            }
            detailed = d;
        }
        var meta = new JsonObject
        {
            ["op"] = step.Op,
            ["urn"] = step.Urn,
            ["type"] = step.Type,
            ["provider"] = "",
            ["old"] = step.Op == "create" ? null : State(step.Old),
            // A refresh step has no new state until it ran (its result then comes in the outputs event).
            ["new"] = step.Op is "delete" or "delete-replaced" or "refresh" ? null : New(step.New) ?? State(step.Old),
            ["detailedDiff"] = detailed,
            ["logical"] = step.Op is not ("create-replacement" or "delete-replaced"),
        };
        if (step.Diffs.Count > 0) meta["diffs"] = new JsonArray(step.Diffs.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray());
        if (step.Keys.Count > 0) meta["keys"] = new JsonArray(step.Keys.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray());
        var payload = new JsonObject { ["metadata"] = meta };
        if (planning) payload["planning"] = true;
        return payload;
    }

    private static JsonObject Diagnostic(string message, string? urn) => new()
    {
        ["urn"] = urn, ["prefix"] = "error: ", ["message"] = message + "\n", ["color"] = "never", ["severity"] = "error",
    };

    private void Summary(Dictionary<string, int> counts, bool isPreview, string result) =>
        _log.Write("summaryEvent", new JsonObject
        {
            ["maybeCorrupt"] = false,
            ["durationSeconds"] = (int)Math.Ceiling(_watch.Elapsed.TotalSeconds),
            ["resourceChanges"] = JsonSerializer.SerializeToNode(counts),
            ["PolicyPacks"] = new JsonObject(),
            ["isPreview"] = isPreview,
            ["result"] = result,
        });

    /// <summary>
    /// A history entry as the DIY backend keeps it: no version (always 0; only Pulumi Cloud numbers updates), start and
    /// end times in whole seconds (the CLI prints them with ".000").
    /// </summary>
    private void History(string kind, Dictionary<string, int> counts, string result, DateTimeOffset? start = null, string? message = null)
    {
        var now = DateTimeOffset.UtcNow;
        static string Seconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds()).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        Backend.AddHistory(stack, new HistoryItem
        {
            Version = 0,
            Kind = kind,
            StartTime = Seconds(start ?? now),
            EndTime = Seconds(now),
            Message = message ?? cli.Args.Value("--message") ?? "",
            Result = result,
            ResourceChanges = counts,
        });
    }

    private FakeError NoChangesExpected(string op) => new($"error: no changes were expected for {op} but changes were proposed", 7, 255);

    private void Display(string title, List<Step> steps, Dictionary<string, int> counts)
    {
        Console.WriteLine($"{title} ({stack}):");
        foreach (var s in steps)
            Console.WriteLine($"    {(s.Op switch { "create" => "+ ", "update" => "~ ", "replace" => "+-", _ => "- " })}  {s.Type}  {s.Name}  {s.Op}");
        Console.WriteLine("Resources:");
        foreach (var (op, n) in counts.OrderBy(c => c.Key, StringComparer.Ordinal)) Console.WriteLine($"    {n} {op}");
        Console.WriteLine($"Duration: {_watch.Elapsed.TotalSeconds:0}s");
    }

    private void Digest(List<Step> steps, (Dictionary<string, string> Values, HashSet<string> Secrets) config, Dictionary<string, int> counts)
    {
        var c = new JsonObject();
        foreach (var (k, v) in config.Values) c[k] = config.Secrets.Contains(k) ? "[secret]" : v;
        var list = new JsonArray { new JsonObject { ["op"] = "same", ["urn"] = Project.StackUrn(stack), ["detailedDiff"] = null } };
        foreach (var s in steps)
        {
            var meta = Metadata(s, true)["metadata"]!.AsObject();
            var step = new JsonObject { ["op"] = s.Op, ["urn"] = s.Urn, ["provider"] = "" };
            if (meta["old"] is { } o) step["oldState"] = o.DeepClone();
            if (meta["new"] is { } n) step["newState"] = n.DeepClone();
            if (s.Diffs.Count > 0) step["diffReasons"] = new JsonArray(s.Diffs.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray());
            if (s.Keys.Count > 0) step["replaceReasons"] = new JsonArray(s.Keys.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray());
            var dd = meta["detailedDiff"]?.DeepClone() as JsonObject;
            if (dd is not null)
                foreach (var p in dd.ToList())
                    dd[p.Key] = new JsonObject { ["kind"] = p.Value!["diffKind"]!.DeepClone(), ["inputDiff"] = true };
            step["detailedDiff"] = dd;
            list.Add(step);
        }
        var digest = new JsonObject
        {
            ["config"] = c,
            ["steps"] = list,
            ["diagnostics"] = new JsonArray(),
            ["duration"] = (long)(_watch.Elapsed.TotalMilliseconds * 1_000_000),
            ["changeSummary"] = JsonSerializer.SerializeToNode(counts),
        };
        Console.WriteLine(digest.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 4 }));
    }
}
