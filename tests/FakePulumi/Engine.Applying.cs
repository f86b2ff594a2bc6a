using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FakePulumi;

/// <summary>The engine, applying: the stack lock, the steps, and the outputs resolved from the new state.</summary>
public sealed partial class Engine
{
    private string? TakeLock()
    {
        if (_faults.LockHeld == "cloud")
            throw new FakeError("error: [409] Conflict: Another update is currently in progress.\nTo learn more about possible reasons and resolution, visit https://www.pulumi.com/docs/support/troubleshooting/common-issues/update-conflicts/", 1, 255);
        var others = Backend.ForeignLocks(stack, null);
        if (others.Count > 0) throw Locked(others);
        var mine = Backend.Lock(stack);
        others = Backend.ForeignLocks(stack, mine);
        if (others.Count > 0)
        {
            File.Delete(mine);
            throw Locked(others);
        }
        cli.Log(new JsonObject { ["lock"] = mine });
        return mine;
    }

    private FakeError Locked(List<string> others)
    {
        var lines = others.Select(f =>
        {
            var info = JsonNode.Parse(File.ReadAllText(f))!;
            return $"  {Backend.Url}/.pulumi/locks/organization/{Project.Name}/{stack}/{Path.GetFileName(f)}: created by {info["username"]}@{info["hostname"]} (pid {info["pid"]}) at {info["timestamp"]}";
        });
        return new FakeError($"error: the stack is currently locked by {others.Count} lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n{string.Join("\n", lines)}", 1, 255);
    }

    private int Apply(string kind, List<Step> steps, CompiledTemplate template, (Dictionary<string, string> Values, HashSet<string> Secrets) config)
    {
        var state = Backend.Load(stack);
        var start = DateTimeOffset.UtcNow;
        _log.StartRun();
        Prelude(config);
        var counts = new Dictionary<string, int>();
        var failAt = _faults.FailUpdate == "*" ? steps.FirstOrDefault()?.Name : _faults.FailUpdate;
        var crashMarker = Path.Combine(Backend.Root, ".fake", $"crashed-{stack}");
        var crashAt = _faults.CrashOnce && !File.Exists(crashMarker) ? Math.Max(1, steps.Count / 2) : -1;
        var creates = steps.Select((s, i) => (Step: s, Index: i)).Where(x => x.Step.Op == "create").Select(x => x.Index).ToList();
        var killAt = _faults.KillOnce && creates.Count > 0 && Once("killed") ? creates.FirstOrDefault(i => i >= steps.Count / 2, creates[0]) : -1;
        string? failure = null;
        var done = 0;
        if (steps.Count > 0) _log.Write("resourcePreEvent", Metadata(new Step("same", Project.StackUrn(stack), "pulumi:pulumi:Stack", $"{Project.Name}-{stack}", null, null, [], []), false));
        foreach (var step in steps)
        {
            if (cli.Interrupted)
            {
                failure = "canceled";
                break;
            }
            if (done == crashAt)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(crashMarker)!);
                File.WriteAllText(crashMarker, "crashed");
                _log.Write("diagnosticEvent", Diagnostic($"error: {step.Urn}: the aws provider plugin exited unexpectedly: transport is closing", step.Urn));
                state.Version++;
                Backend.Save(stack, state);
                History(kind, counts, "failed", start);
                Summary(counts, false, "failed");
                _log.EndRun();
                Console.Error.WriteLine($"error: update failed: rpc error: code = Unavailable desc = transport is closing (the aws provider plugin crashed at {step.Name})");
                throw new FakeError("error: an unhandled error occurred: the aws provider plugin crashed", 255, 255);
            }
            _log.Write("resourcePreEvent", Metadata(step, planning: false));
            if (done == killAt)
            {
                // The engine journals the create as pending before calling the provider, then the process is killed:
                // no cancelEvent, no history entry, and the lock file stays.
                state.PendingOperations.Add(new JsonObject
                {
                    ["resource"] = new JsonObject { ["urn"] = step.Urn, ["type"] = step.Type, ["custom"] = true },
                    ["type"] = "creating",
                });
                Backend.Save(stack, state);
                cli.Log(new JsonObject { ["killed"] = step.Urn });
                System.Diagnostics.Process.GetCurrentProcess().Kill();
            }
            if (_faults.SlowMs > 0) Sleep(_faults.SlowMs);
            if (step.Name == failAt)
            {
                _log.Write("resOpFailedEvent", new JsonObject { ["metadata"] = Metadata(step, false)["metadata"]!.DeepClone(), ["status"] = 0, ["steps"] = 1 });
                _log.Write("diagnosticEvent", Diagnostic($"error: {step.Op}ing {step.Type} ({step.Name}): operation error: api error AccessDenied: User is not authorized to perform this action", step.Urn));
                failure = "failed";
                break;
            }
            ApplyStep(state, step);
            Backend.Save(stack, state); // checkpoint after every step, like the engine
            _log.Write("resOutputsEvent", Metadata(step, planning: false));
            counts[step.Op] = counts.GetValueOrDefault(step.Op) + 1;
            done++;
        }
        var same = state.Resources.Count - counts.Values.Sum();
        if (same > 0) counts["same"] = same;
        if (failure is null) state.Outputs = ResolveOutputs(template.Outputs, state);
        state.Version++;
        Backend.Save(stack, state);
        var result = failure is null ? "succeeded" : "failed";
        History(kind, counts, result, start);
        Summary(counts, false, failure ?? "succeeded");
        _log.EndRun();
        Display(kind == "destroy" ? "Destroying" : "Updating", steps, counts);
        if (failure == "canceled") throw new FakeError("error: update canceled", 8, 255);
        if (failure is not null)
        {
            Console.Error.WriteLine($"error: update failed");
            throw new FakeError($"error: {failAt}: operation error: api error AccessDenied: User is not authorized to perform this action", 1, 255);
        }
        return 0;
    }

    private void Sleep(int ms)
    {
        for (var waited = 0; waited < ms && !cli.Interrupted; waited += 20) Thread.Sleep(20);
    }

    private void ApplyStep(StackState state, Step step)
    {
        state.Resources.RemoveAll(r => r.Urn == step.Urn);
        if (step.Op == "delete") return;
        var r = step.New!;
        var id = step.Op == "update" && step.Old is not null ? step.Old.Id : $"{r.Name}-{Guid.NewGuid().ToString("N")[..8]}";
        var outputs = (JsonObject)r.Properties.DeepClone();
        outputs["id"] = id;
        outputs["arn"] = $"arn:aws:fake:{r.Type}:{id}";
        state.Resources.Add(new ResourceState { Urn = step.Urn, Type = r.Type, Id = id, Inputs = (JsonObject)r.Properties.DeepClone(), Outputs = outputs, Protect = r.Protect });
    }

    private static JsonObject ResolveOutputs(JsonObject outputs, StackState state)
    {
        var resolved = new JsonObject();
        foreach (var (k, v) in outputs) resolved[k] = Resolve(v, state);
        return resolved;
    }

    private static JsonNode? Resolve(JsonNode? node, StackState state) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value, state)))),
        JsonArray a => new JsonArray(a.Select(x => Resolve(x, state)).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var s) => JsonValue.Create(ReferenceRule().Replace(s, m => Lookup(m.Groups[1].Value, state))),
        _ => node?.DeepClone(),
    };

    private static string Lookup(string expression, StackState state)
    {
        var dot = expression.IndexOfAny(['.', '[']);
        var name = dot < 0 ? expression : expression[..dot];
        var path = dot < 0 ? "" : expression[dot..].TrimStart('.');
        var resource = state.Resources.FirstOrDefault(r => r.Urn.EndsWith("::" + name, StringComparison.Ordinal));
        if (resource is null) return $"unknown-{name}";
        if (path is "" or "id") return resource.Id;
        return resource.Outputs[path.Split('[')[0]] is JsonValue v && v.TryGetValue<string>(out var s) ? s : $"{path}-of-{resource.Id}";
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex ReferenceRule();
}
