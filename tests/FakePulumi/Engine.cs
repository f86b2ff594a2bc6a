using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FakePulumi;

/// <summary>One step of an engine run.</summary>
public sealed record Step(string Op, string Urn, string Type, string Name, ResourceState? Old, TemplateResource? New, List<string> Diffs, List<string> Keys);

/// <summary>The engine: diff the compiled template against the state, then preview or apply, writing engine events.</summary>
public sealed partial class Engine(Cli cli, string stack, Faults faults)
{
    private readonly StackFaults _faults = faults.For(stack);
    private readonly EventLog _log = new(cli.Args.Value("--event-log"));
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    /// <summary>Properties whose change forces a replacement (a small table of the real provider's ForceNew inputs).</summary>
    private static readonly Dictionary<string, string[]> ReplaceKeys = new(StringComparer.Ordinal)
    {
        ["aws:ec2/vpc:Vpc"] = ["cidrBlock"],
        ["aws:ec2/subnet:Subnet"] = ["cidrBlock", "availabilityZone", "availabilityZoneId", "vpcId"],
        ["aws:ec2/natGateway:NatGateway"] = ["subnetId", "allocationId", "connectivityType"],
        ["aws:ec2/eip:Eip"] = ["domain"],
        ["aws:ec2/internetGateway:InternetGateway"] = [],
        ["aws:rds/instance:Instance"] = ["engine", "identifier", "dbName", "storageEncrypted", "kmsKeyId", "username", "availabilityZone"],
        ["aws:rds/subnetGroup:SubnetGroup"] = ["name"],
        ["aws:s3/bucket:Bucket"] = ["bucket", "bucketPrefix", "objectLockEnabled"],
        ["aws:kms/key:Key"] = ["customerMasterKeySpec", "keyUsage"],
        ["aws:cloudwatch/logGroup:LogGroup"] = ["name", "namePrefix"],
        ["aws:sqs/queue:Queue"] = ["name", "fifoQueue"],
        ["aws:ecr/repository:Repository"] = ["name"],
        ["aws:secretsmanager/secret:Secret"] = ["name"],
        ["aws:iam/role:Role"] = ["name"],
    };

    private Backend Backend => cli.StateBackend;

    private Project Project => cli.ProjectInfo;

    // ---------------------------------------------------------------- commands

    public int Preview()
    {
        cli.RequireStack(stack);
        var (steps, template, config) = Plan();
        _log.StartRun();
        Prelude(config);
        var counts = Emit(steps, planning: true);
        Summary(counts, isPreview: true, "succeeded");
        _log.EndRun();
        if (cli.Args.Has("--json")) Digest(steps, config, counts);
        else Display("Previewing update", steps, counts);
        if (_faults.UpdateAfterPreview && Once("updated-after-preview")) AnotherProcessUpdates();
        if (cli.Args.Has("--expect-no-changes") && steps.Count > 0) throw NoChangesExpected("preview");
        return 0;
    }

    public int Up()
    {
        cli.RequireStack(stack);
        var skipPreview = cli.Args.Has("--skip-preview");
        if (!cli.Args.Has("--yes") && !skipPreview && Environment.GetEnvironmentVariable("PULUMI_SKIP_CONFIRMATIONS") is null)
            throw new FakeError("error: --yes or --skip-preview or --preview-only must be passed in to proceed when running in non-interactive mode", 2, 255);
        var (steps, template, config) = Plan();
        if (!skipPreview)
        {
            // `up` without --skip-preview: a preview engine run first, then the update run truncates the log.
            _log.StartRun();
            Prelude(config);
            Summary(Emit(steps, planning: true), isPreview: true, "succeeded");
            _log.EndRun();
        }
        var myLock = TakeLock();
        try
        {
            return Apply("update", steps, template, config);
        }
        finally
        {
            if (myLock is not null) File.Delete(myLock);
        }
    }

    /// <summary>
    /// <c>pulumi refresh</c>: one refresh step per resource. As in the engine, the step's resourcePreEvent says only
    /// <c>refresh</c>; its resOutputsEvent carries the result (<c>same</c>, <c>update</c> with the drifted properties, or
    /// <c>delete</c> for a resource gone from the cloud), and the summary counts results. Pending creates are skipped
    /// in non-interactive mode unless <c>--clear-pending-creates</c>; other pending operations are cleared.
    /// </summary>
    public int Refresh()
    {
        cli.RequireStack(stack);
        var previewOnly = cli.Args.Has("--preview-only");
        if (previewOnly && (cli.Args.Has("--yes") || cli.Args.Has("--skip-preview")))
            throw new FakeError("error: --yes and --skip-preview cannot be used with --preview-only", 2, 255);
        Cli.RequirePassphrase();
        var state = Backend.Load(stack);
        var results = state.Resources.ToDictionary(r => r.Urn, r => RefreshResult(r), StringComparer.Ordinal);
        string? myLock = previewOnly ? null : TakeLock();
        try
        {
            _log.StartRun();
            Prelude(Project.Config(stack));
            var counts = new Dictionary<string, int>();
            foreach (var r in state.Resources)
            {
                var result = results[r.Urn];
                _log.Write("resourcePreEvent", Metadata(new Step("refresh", r.Urn, r.Type, Name(r.Urn), r, null, [], []), planning: previewOnly));
                _log.Write("resOutputsEvent", Metadata(result, planning: previewOnly));
                counts[result.Op] = counts.GetValueOrDefault(result.Op) + 1;
            }
            Summary(counts, isPreview: previewOnly, "succeeded");
            _log.EndRun();
            var drifted = results.Values.Where(s => s.Op != "same").ToList();
            Display(previewOnly ? "Previewing refresh" : "Refreshing", drifted, counts);
            if (!previewOnly)
            {
                var creates = state.PendingOperations.Where(p => (string?)p["type"] == "creating").ToList();
                if (creates.Count > 0 && !cli.Args.Has("--clear-pending-creates"))
                    Console.Error.WriteLine($"warning: skipping {creates.Count} pending create(s) in non-interactive mode; use --clear-pending-creates or --import-pending-creates");
                state.PendingOperations.RemoveAll(p => (string?)p["type"] != "creating" || cli.Args.Has("--clear-pending-creates"));
                state.Resources.RemoveAll(r => results[r.Urn].Op == "delete");
                state.Version++;
                Backend.Save(stack, state);
                History("refresh", counts, "succeeded");
            }
            if (cli.Args.Has("--expect-no-changes") && drifted.Count > 0) throw NoChangesExpected("refresh");
            return 0;
        }
        finally
        {
            if (myLock is not null) File.Delete(myLock);
        }
    }

    /// <summary>What refreshing <paramref name="r"/> finds in the (fake) cloud, as the step the outputs event reports.</summary>
    private Step RefreshResult(ResourceState r)
    {
        var name = Name(r.Urn);
        if (_faults.Gone.Contains(name)) return new Step("delete", r.Urn, r.Type, name, r, null, [], []);
        var drifted = _faults.Drift.Where(d => d == name || d.StartsWith(name + ".", StringComparison.Ordinal))
            .Select(d => d == name ? "tags" : d[(name.Length + 1)..]).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Step(drifted.Count > 0 ? "update" : "same", r.Urn, r.Type, name, r, null, drifted, []);
    }

    /// <summary>A marker in the backend: true the first time <paramref name="what"/> happens for this stack.</summary>
    private bool Once(string what)
    {
        var marker = Path.Combine(Backend.Root, ".fake", $"{what}-{stack}");
        if (File.Exists(marker)) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        File.WriteAllText(marker, what);
        return true;
    }

    /// <summary>Someone else's `pulumi up` lands (as in a second terminal): a new checkpoint and history entry.</summary>
    private void AnotherProcessUpdates()
    {
        var state = Backend.Load(stack);
        state.Version++;
        Backend.Save(stack, state);
        History("update", new Dictionary<string, int> { ["same"] = state.Resources.Count }, "succeeded", message: "an update from another terminal");
    }

    public int Destroy()
    {
        cli.RequireStack(stack);
        if (!cli.Args.Has("--yes") && !cli.Args.Has("--skip-preview") && !cli.Args.Has("--preview-only"))
            throw new FakeError("error: --yes or --skip-preview or --preview-only must be passed in to proceed when running in non-interactive mode", 2, 255);
        Cli.RequirePassphrase();
        var state = Backend.Load(stack);
        var config = Project.Config(stack);
        CheckAccount(config.Values);
        var steps = state.Resources.AsEnumerable().Reverse().Select(r => new Step("delete", r.Urn, r.Type, Name(r.Urn), r, null, [], [])).ToList();
        var myLock = TakeLock();
        try
        {
            var empty = new CompiledTemplate([], []);
            return Apply("destroy", steps, empty, config);
        }
        finally
        {
            if (myLock is not null) File.Delete(myLock);
        }
    }

    // ---------------------------------------------------------------- planning

    private (List<Step> Steps, CompiledTemplate Template, (Dictionary<string, string> Values, HashSet<string> Secrets) Config) Plan()
    {
        Cli.RequirePassphrase();
        // GetRequiredPackages: the compiler runs once with no stack variables (plugin discovery); it must succeed.
        Project.ParseTemplate(Project.RunCompiler(null, null));
        var config = Project.Config(stack);
        var template = Project.ParseTemplate(Project.RunCompiler(stack, config.Values));
        CheckAccount(config.Values);
        if (_faults.SlowMs > 0) Sleep(_faults.SlowMs);
        if (cli.Interrupted) throw new FakeError("error: preview canceled", 8, 255);
        var state = Backend.Load(stack);
        var steps = new List<Step>();
        var old = state.Resources.ToDictionary(r => r.Urn, StringComparer.Ordinal);
        foreach (var r in template.Resources)
        {
            var urn = Project.Urn(stack, r.Type, r.Name);
            if (!old.TryGetValue(urn, out var existing))
            {
                steps.Add(new Step("create", urn, r.Type, r.Name, null, r, [], []));
                continue;
            }
            var diffs = existing.Inputs.Select(p => p.Key).Union(r.Properties.Select(p => p.Key))
                .Where(k => !JsonNode.DeepEquals(existing.Inputs[k], r.Properties[k])).Order(StringComparer.Ordinal).ToList();
            if (diffs.Count == 0 && existing.Protect == r.Protect) continue;
            var forcing = ReplaceKeys.GetValueOrDefault(r.Type, []).Concat(r.ReplaceOnChanges).ToHashSet();
            var keys = diffs.Where(forcing.Contains).ToList();
            if (keys.Count > 0 && existing.Protect)
                throw new FakeError($"error: unable to replace resource \"{urn}\"\nas it is currently marked for protection. To unprotect the resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`", 1, 255);
            steps.Add(new Step(keys.Count > 0 ? "replace" : "update", urn, r.Type, r.Name, existing, r, diffs, keys));
        }
        var wanted = template.Resources.Select(r => Project.Urn(stack, r.Type, r.Name)).ToHashSet();
        foreach (var r in state.Resources.AsEnumerable().Reverse().Where(r => !wanted.Contains(r.Urn)))
        {
            if (r.Protect)
                throw new FakeError($"error: resource \"{r.Urn}\" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`, or use the command:\n`pulumi state unprotect '{r.Urn}'`", 1, 255);
            steps.Add(new Step("delete", r.Urn, r.Type, Name(r.Urn), r, null, [], []));
        }
        return (steps, template, config);
    }

    /// <summary>The provider's own account check (aws:allowedAccountIds), with the account the credentials really reach.</summary>
    private void CheckAccount(IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue("aws:allowedAccountIds", out var ids)) return;
        var allowed = JsonNode.Parse(ids)!.AsArray().Select(n => n!.ToString()).ToList();
        string? role = null;
        if (config.TryGetValue("aws:assumeRoles", out var roles) && JsonNode.Parse(roles) is JsonArray { Count: > 0 } list)
            role = list[0]?["roleArn"]?.ToString();
        var actual = role is not null && faults.Accounts.TryGetValue(role, out var a) ? a
            : role is not null ? AccountRule().Match(role).Groups[1].Value
            : faults.Accounts.GetValueOrDefault("*");
        if (actual is null || allowed.Contains(actual)) return;
        throw new FakeError($"error: pulumi:providers:aws resource 'default_7_48_0' has a problem: AWS account ID not allowed: {actual}", 1, 255);
    }

    [GeneratedRegex(@"^arn:[^:]+:iam::(\d{12}):")]
    private static partial Regex AccountRule();

    // ---------------------------------------------------------------- applying

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

    // ---------------------------------------------------------------- events and output

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
