using System.Text.Json;

namespace Platform.Automation.Pulumi;

public enum ChangeKind
{
    Create,
    Update,
    Replace,
    Delete,
}

/// <summary>One resource the engine would change: what, how, and which properties (the replace-causing ones separately).</summary>
public sealed record ResourceChange(
    ChangeKind Kind,
    string Urn,
    string Type,
    IReadOnlyList<string> ChangedProperties,
    IReadOnlyList<string> ReplaceReasons,
    bool Protected)
{
    /// <summary>The logical name: the last URN segment.</summary>
    public string Name => Pulumi.Urn.NameOf(Urn);

    public bool Stateful => StatefulTypes.IsStateful(Type) || Protected;

    /// <summary>A delete or replace: data in it would be lost.</summary>
    public bool Destructive => Kind is ChangeKind.Delete or ChangeKind.Replace;

    public string Symbol => Kind switch
    {
        ChangeKind.Create => "+",
        ChangeKind.Update => "~",
        ChangeKind.Replace => "+-",
        _ => "-",
    };
}

/// <summary>The typed result of an engine run (preview, update, refresh): every change, and the engine's own summary.</summary>
public sealed record ChangeSet(string Stack, IReadOnlyList<ResourceChange> Changes, IReadOnlyDictionary<string, int> Summary, string? Result)
{
    public static ChangeSet Empty(string stack) => new(stack, [], new Dictionary<string, int>(), "succeeded");

    public bool HasChanges => Changes.Count > 0 || Summary.Any(s => s.Key != "same" && s.Value > 0);

    public int Count(ChangeKind kind) => Changes.Count(c => c.Kind == kind);

    /// <summary>Deletes and replaces of stateful resources (databases, buckets, keys, log groups, protected resources).</summary>
    public IEnumerable<ResourceChange> StatefulDestructive => Changes.Where(c => c.Destructive && c.Stateful);

    /// <summary>
    /// Builds the change set from engine events (the <c>--event-log</c> lines of one engine run). Only the last engine
    /// run counts: the file restarts at sequence 0 on every run. Root-stack and <c>same</c>/<c>read</c> steps are not changes.
    /// Both step events are read: <c>resourcePreEvent</c> says what a step will do, <c>resOutputsEvent</c> what it did.
    /// They agree for every step kind but one: a refresh step announces itself as <c>refresh</c> with no diff, and the
    /// engine reports its result (<c>same</c>, <c>update</c> or <c>delete</c>, with the drifted properties) only in the
    /// outputs event (pulumi/pulumi pkg/engine: OnResourceStepPost reports <c>RefreshStep.ResultOp()</c>).
    /// </summary>
    public static ChangeSet FromEvents(string stack, IEnumerable<EngineEvent> events)
    {
        var byUrn = new Dictionary<string, ResourceChange>(StringComparer.Ordinal);
        var order = new List<string>();
        var summary = new Dictionary<string, int>(StringComparer.Ordinal);
        string? result = null;
        foreach (var e in events)
        {
            if (e.Kind == "summaryEvent")
            {
                summary.Clear();
                if (e.Payload.TryGetProperty("resourceChanges", out var rc) && rc.ValueKind == JsonValueKind.Object)
                    foreach (var p in rc.EnumerateObject())
                        if (p.Value.TryGetInt32(out var n)) summary[p.Name] = n;
                result = e.Payload.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                continue;
            }
            if (e.Kind is not ("resourcePreEvent" or "resOutputsEvent")) continue;
            if (!e.Payload.TryGetProperty("metadata", out var m) || m.ValueKind != JsonValueKind.Object) continue;
            var op = Str(m, "op");
            var urn = Str(m, "urn");
            var type = Str(m, "type");
            if (op is null || urn is null || type is null || type == "pulumi:pulumi:Stack") continue;
            ChangeKind? kind = op switch
            {
                "create" or "import" => ChangeKind.Create,
                "update" => ChangeKind.Update,
                "replace" or "create-replacement" or "delete-replaced" or "import-replacement" or "read-replacement" => ChangeKind.Replace,
                "delete" or "discard" => ChangeKind.Delete,
                _ => null, // same, read, remove-pending-replace, and refresh (its result comes in the outputs event)
            };
            if (kind is null) continue;
            // The detailed diff names nested paths (tags.Owner); "diffs" the top-level keys (tags): a key is listed
            // only when no detailed path already names it or something inside it.
            var changed = new SortedSet<string>(StringComparer.Ordinal);
            if (m.TryGetProperty("detailedDiff", out var dd) && dd.ValueKind == JsonValueKind.Object)
                foreach (var p in dd.EnumerateObject()) changed.Add(p.Name);
            foreach (var d in Strings(m, "diffs").Where(d => !changed.Any(p => PropertyPath.IsWithin(p, d))).ToList())
                changed.Add(d);
            var keys = Strings(m, "keys").ToArray();
            var prot = IsProtected(m, "old") || IsProtected(m, "new");
            var change = new ResourceChange(kind.Value, urn, type, changed.ToArray(), keys, prot);
            if (byUrn.TryGetValue(urn, out var existing))
            {
                // A replacement shows as replace + create-replacement + delete-replaced: keep the strongest, merge the properties.
                var merged = existing.ChangedProperties.Union(change.ChangedProperties).Order(StringComparer.Ordinal).ToArray();
                var reasons = existing.ReplaceReasons.Union(change.ReplaceReasons).Order(StringComparer.Ordinal).ToArray();
                var strongest = Rank(change.Kind) > Rank(existing.Kind) ? change.Kind : existing.Kind;
                byUrn[urn] = existing with { Kind = strongest, ChangedProperties = merged, ReplaceReasons = reasons, Protected = existing.Protected || prot };
            }
            else
            {
                byUrn[urn] = change;
                order.Add(urn);
            }
        }
        return new ChangeSet(stack, order.Select(u => byUrn[u]).ToArray(), summary, result);
    }

    private static int Rank(ChangeKind k) => k switch { ChangeKind.Replace => 3, ChangeKind.Delete => 2, ChangeKind.Update => 1, _ => 0 };

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array) yield break;
        foreach (var item in v.EnumerateArray())
            if (item.ValueKind == JsonValueKind.String) yield return item.GetString()!;
    }

    private static bool IsProtected(JsonElement m, string state) =>
        m.TryGetProperty(state, out var s) && s.ValueKind == JsonValueKind.Object &&
        s.TryGetProperty("protect", out var p) && p.ValueKind == JsonValueKind.True;
}

/// <summary>Property paths as the engine writes them: <c>tags.Owner</c>, <c>subnetIds[0]</c>.</summary>
public static class PropertyPath
{
    /// <summary>True when <paramref name="path"/> is <paramref name="key"/> itself or nested in it.</summary>
    public static bool IsWithin(string path, string key) =>
        path == key || path.StartsWith(key + ".", StringComparison.Ordinal) || path.StartsWith(key + "[", StringComparison.Ordinal);
}

/// <summary>
/// Resource types whose delete or replace loses data. The console flags these in previews and the promotion gates
/// refuse their delete/replace unless the rollout allows the URN.
/// </summary>
public static class StatefulTypes
{
    public static readonly IReadOnlySet<string> Types = new SortedSet<string>(StringComparer.Ordinal)
    {
        "aws:rds/instance:Instance",
        "aws:rds/cluster:Cluster",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws:kms/key:Key",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:ecr/repository:Repository",
        "aws:sqs/queue:Queue",
        "aws:secretsmanager/secret:Secret",
        "aws:dynamodb/table:Table",
        "aws:efs/fileSystem:FileSystem",
    };

    public static bool IsStateful(string type) => Types.Contains(type);
}
