using System.Diagnostics;

namespace FakePulumi;

/// <summary>One step of an engine run.</summary>
public sealed record Step(string Op, string Urn, string Type, string Name, ResourceState? Old, TemplateResource? New, List<string> Diffs, List<string> Keys);

/// <summary>The engine: diff the compiled template against the state, then preview or apply, writing engine events.</summary>
public sealed partial class Engine(Cli cli, string stack, Faults faults)
{
    private readonly StackFaults _faults = faults.For(stack);
    private readonly EventLog _log = new(cli.Args.Value("--event-log"));
    private readonly Stopwatch _watch = Stopwatch.StartNew();

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
}
