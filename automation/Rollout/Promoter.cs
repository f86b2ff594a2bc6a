using System.Diagnostics;
using Platform.Automation.Accounts;
using Platform.Automation.Pulumi;
using Serilog;

namespace Platform.Automation.Rollout;

/// <summary>
/// Moves one program version through the rollout, stage by stage. Per stack: account guard, preview, gates, approval,
/// <c>up</c>, post-checks, ledger entry. Stops at the first failure (stacks already running in the same stage finish;
/// nothing new starts) and reports the stage, stack, step and reason. A stage only receives a version every stack of
/// the previous stage has in its ledger.
/// </summary>
public sealed class Promoter(
    IPulumiCli cli,
    AccountGuard guard,
    Ledger ledger,
    IApprover approver,
    IHealthProbe probe,
    Func<string, StackAwsAccess> access,
    ILogger log,
    IPromotionObserver? observer = null,
    StackImages? images = null)
{
    private readonly PostCheckRunner _checks = new(cli, probe, log);

    public async Task<PromotionReport> PromoteAsync(RolloutFile rollout, ProgramVersion version, PromoteOptions options, CancellationToken cancellationToken)
    {
        var run = options.Run ?? $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}-{Guid.NewGuid().ToString("N")[..6]}";
        var plan = Plan(rollout, options);
        var outcomes = new List<StackOutcome>();
        log.Information("Run {Run}: promoting {Commit} through {Stages}{Resume}", run, version.ShortCommit,
            string.Join(" -> ", plan.Select(p => p.Stage.Name)), options.Resume ? " (resume)" : "");

        // Read every ledger entry first: a corrupt one stops the run before anything changes.
        var entries = new Dictionary<string, LedgerEntry?>(StringComparer.Ordinal);
        var stacksToRead = plan.SelectMany(p => p.Stacks).Concat(plan.Select(p => rollout.Previous(p.Stage)).OfType<Stage>().SelectMany(s => s.Stacks)).Distinct();
        try
        {
            await cli.CheckVersionAsync(cancellationToken);
            foreach (var stack in stacksToRead)
                entries[stack] = await ReadLedger(stack, cancellationToken);
        }
        catch (PlatformException e)
        {
            var stage = plan.Count > 0 ? plan[0].Stage.Name : "-";
            var failed = new StackOutcome(stage, e is CorruptLedgerException c ? c.Stack : "-", StackStatus.Failed, "ledger", e.Message, e.Fix, null, TimeSpan.Zero, e.ExitCode);
            return new PromotionReport(version, run, [failed, .. NotRun(plan, [])]);
        }

        foreach (var (stage, stacks) in plan)
        {
            var previous = rollout.Previous(stage);
            if (previous is not null)
            {
                var missing = previous.Stacks.Where(s => entries.GetValueOrDefault(s) is not { } e || !e.Matches(version, s)).ToList();
                if (missing.Count > 0)
                {
                    var detail = $"stage '{stage.Name}' only receives a version that succeeded in '{previous.Name}', and {version.ShortCommit} has not succeeded there on " +
                                 string.Join(", ", missing.Select(s => $"{s} ({entries.GetValueOrDefault(s)?.Describe() ?? "never promoted"})"));
                    outcomes.Add(new StackOutcome(stage.Name, stacks[0], StackStatus.Failed, "order", detail,
                        $"promote {previous.Name} first: platform promote --to {previous.Name}", null, TimeSpan.Zero, ExitCodes.GateFailed));
                    break;
                }
            }

            var stageOutcomes = await RunStage(stage, stacks, version, options, run, entries, cancellationToken);
            outcomes.AddRange(stageOutcomes);
            if (stageOutcomes.Any(o => o.Status is StackStatus.Failed or StackStatus.NotRun)) break;
        }
        outcomes.AddRange(NotRun(plan, outcomes));
        var report = new PromotionReport(version, run, outcomes);
        if (report.FirstFailure is { } f)
            log.Error("Promotion stopped at stage {Stage}, stack {Stack}, step {Step}: {Detail}", f.Stage, f.Stack, f.Step, f.Detail);
        else if (report.NothingToDo)
            log.Information("Nothing to resume: every stack already has {Commit} (ledger); nothing was run", version.ShortCommit);
        else
            log.Information("Promotion of {Commit} succeeded ({Count} stacks)", version.ShortCommit, outcomes.Count);
        return report;
    }

    private async Task<LedgerEntry?> ReadLedger(string stack, CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.ReadAsync(stack, cancellationToken);
        }
        catch (StackNotFoundException)
        {
            return null; // A new stack: created when its stage runs.
        }
    }

    private static IEnumerable<StackOutcome> NotRun(IReadOnlyList<(Stage Stage, IReadOnlyList<string> Stacks)> plan, IReadOnlyList<StackOutcome> done) =>
        plan.SelectMany(p => p.Stacks.Select(s => (p.Stage, Stack: s)))
            .Where(x => !done.Any(o => o.Stack == x.Stack))
            .Select(x => new StackOutcome(x.Stage.Name, x.Stack, StackStatus.NotRun, "-", "not started: an earlier stack failed", null, null, TimeSpan.Zero, ExitCodes.Ok));

    private static IReadOnlyList<(Stage Stage, IReadOnlyList<string> Stacks)> Plan(RolloutFile rollout, PromoteOptions options)
    {
        if (options.OnlyStack is { } only)
        {
            var stage = rollout.StageOf(only) ?? throw new BadInputException($"Stack '{only}' is in no stage of {Path.GetFileName(rollout.Path)}.");
            return [(stage, [only])];
        }
        var last = options.To is null ? rollout.Stages[^1] : rollout.Require(options.To);
        var list = new List<(Stage, IReadOnlyList<string>)>();
        foreach (var stage in rollout.Stages)
        {
            list.Add((stage, stage.Stacks));
            if (stage == last) break;
        }
        return list;
    }

    private async Task<IReadOnlyList<StackOutcome>> RunStage(Stage stage, IReadOnlyList<string> stacks, ProgramVersion version, PromoteOptions options,
        string run, Dictionary<string, LedgerEntry?> entries, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(stage.Concurrency, stage.Concurrency);
        var failed = 0;
        var tasks = stacks.Select(async stack =>
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                if (Volatile.Read(ref failed) == 1 || cancellationToken.IsCancellationRequested)
                    return new StackOutcome(stage.Name, stack, StackStatus.NotRun, "-",
                        cancellationToken.IsCancellationRequested ? "not started: interrupted" : "not started: another stack of the stage failed", null, null, TimeSpan.Zero, ExitCodes.Ok);
                var outcome = await RunStack(stage, stack, version, options, run, entries.GetValueOrDefault(stack), cancellationToken);
                if (outcome.Status == StackStatus.Failed) Volatile.Write(ref failed, 1);
                else lock (entries) entries[stack] = new LedgerEntry(Ledger.Schema, version.Commit, version.Dirty, version.HashOf(stack), stage.Name, run, DateTimeOffset.UtcNow, null);
                observer?.StackFinished(outcome);
                return outcome;
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return await Task.WhenAll(tasks);
    }

    private async Task<StackOutcome> RunStack(Stage stage, string stack, ProgramVersion version, PromoteOptions options, string run,
        LedgerEntry? entry, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var step = "start";
        ChangeSet? changes = null;
        void Step(string name)
        {
            step = name;
            observer?.StepStarted(stage.Name, stack, name);
            log.Debug("{Stage}/{Stack}: {Step}", stage.Name, stack, name);
        }

        try
        {
            if (options.Resume && entry is not null && entry.Matches(version, stack))
            {
                log.Information("{Stage}/{Stack}: already at {Commit} (ledger), skipped", stage.Name, stack, version.ShortCommit);
                return new StackOutcome(stage.Name, stack, StackStatus.AlreadyDone, "ledger", $"already at {entry.Describe()}", null, null, watch.Elapsed, ExitCodes.Ok);
            }

            Step("account");
            var identity = await guard.CheckAsync(access(stack), cancellationToken);
            log.Information("{Stage}/{Stack}: account {Account} matches aws:allowedAccountIds", stage.Name, stack, identity.Account);

            Step("stack");
            await cli.EnsureStackAsync(stack, cancellationToken);
            if (options.Resume)
            {
                var recovery = await cli.GetRecoveryAsync(stack, cancellationToken);
                if (recovery.HasPending)
                    throw new PlatformException($"an interrupted update left the stack with resources the state may not know; it left {recovery.Describe()}",
                        ExitCodes.GateFailed, recovery.Steps(killed: false, "platform promote --resume"));
            }

            // The stack's images (--image, or those it runs) in its stack file for this preview and update only.
            await using var written = images is null ? null : await images.WriteAsync(stack, cancellationToken);

            Step("preview");
            var before = await cli.GetLastUpdateAsync(stack, cancellationToken);
            changes = (await cli.PreviewAsync(stack, cancellationToken)).Changes;
            log.Information("{Stage}/{Stack}: preview {Create} to create, {Update} to update, {Replace} to replace, {Delete} to delete",
                stage.Name, stack, changes.Count(ChangeKind.Create), changes.Count(ChangeKind.Update), changes.Count(ChangeKind.Replace), changes.Count(ChangeKind.Delete));

            Step("gates");
            var allowed = options.AllowDestructive ?? [];
            var failures = Gates.Check(changes, stage, allowed);
            if (failures.Count > 0)
                throw new PlatformException("gate refused: " + string.Join("; ", failures), ExitCodes.GateFailed);
            string? approvedBy = null;
            if (stage.RequiresApproval && changes.HasChanges)
            {
                Step("approval");
                approvedBy = await approver.ApproveAsync(stage, stack, changes, cancellationToken)
                             ?? throw new PlatformException($"stage '{stage.Name}' requires approval for {changes.Changes.Count} change(s) and none was given.",
                                 ExitCodes.GateFailed, $"review the preview, then rerun with --approve {stage.Name} (or run on a terminal to be asked)");
            }

            if (changes.HasChanges)
            {
                Step("up");
                var now = await cli.GetLastUpdateAsync(stack, cancellationToken);
                if (now?.Identity != before?.Identity)
                    throw new PlatformException($"the stack changed after its preview (its last update was {before?.Describe() ?? "none"}, now {now?.Describe() ?? "none"}): the reviewed preview is stale.",
                        ExitCodes.GateFailed, "run the promotion again to preview the current state");
                await Up(stage, stack, version, run, changes, allowed, cancellationToken);
            }

            Step("checks");
            await _checks.RunAsync(stage, stack, cancellationToken);

            Step("ledger");
            if (images is not null) await images.RecordAsync(stack, cancellationToken);
            await ledger.WriteAsync(stack, new LedgerEntry(Ledger.Schema, version.Commit, version.Dirty, version.HashOf(stack), stage.Name, run, DateTimeOffset.UtcNow, approvedBy), cancellationToken);
            var status = changes.HasChanges ? StackStatus.Deployed : StackStatus.Unchanged;
            log.Information("{Stage}/{Stack}: {Status} in {Seconds:0.0}s", stage.Name, stack, status, watch.Elapsed.TotalSeconds);
            return new StackOutcome(stage.Name, stack, status, "done", null, null, changes, watch.Elapsed, ExitCodes.Ok);
        }
        catch (Exception x) when (PlatformException.From(x) is { } e)
        {
            var detail = e is PulumiException { StderrTail: { Length: > 0 } tail } ? $"{e.Message}\n{tail}" : e.Message;
            log.Error("{Stage}/{Stack}: failed at step {Step}: {Message}", stage.Name, stack, step, e.Message);
            return new StackOutcome(stage.Name, stack, StackStatus.Failed, step, detail, e.Fix, changes, watch.Elapsed, e.ExitCode);
        }
        catch (OperationCanceledException)
        {
            return new StackOutcome(stage.Name, stack, StackStatus.Failed, step, "interrupted", "run the same command with --resume", changes, watch.Elapsed, ExitCodes.Interrupted);
        }
    }

    /// <summary>
    /// Runs <c>up</c> while watching its events: a stateful delete or replace that the reviewed preview did not show
    /// (the stack changed underneath) stops the update with SIGINT.
    /// </summary>
    private async Task Up(Stage stage, string stack, ProgramVersion version, string run, ChangeSet reviewed, IReadOnlyCollection<string> allowed,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? divergence = null;
        var expected = reviewed.Changes.Where(c => c.Destructive).Select(c => c.Urn).ToHashSet(StringComparer.Ordinal);
        void Watch(EngineEvent e)
        {
            if (e.Kind != "resourcePreEvent" || divergence is not null) return;
            var change = ChangeSet.FromEvents(stack, [e]).Changes.FirstOrDefault();
            if (change is { Destructive: true, Stateful: true } && !expected.Contains(change.Urn) && !allowed.Contains(change.Urn) && !stage.AllowDestructive.Contains(change.Urn))
            {
                divergence = $"the update tried to {change.Kind.ToString().ToLowerInvariant()} {change.Urn}, which the reviewed preview did not show";
                log.Error("{Stack}: {Divergence}; stopping the update", stack, divergence);
                stop.Cancel();
            }
        }

        try
        {
            await cli.UpAsync(stack, new UpdateOptions($"platform promote {version.ShortCommit} to {stage.Name} (run {run})", Watch), stop.Token);
        }
        catch (PulumiCancelledException) when (divergence is not null && !cancellationToken.IsCancellationRequested)
        {
            throw new PlatformException($"update stopped: {divergence}.", ExitCodes.GateFailed, "preview again and review the change set");
        }
        catch (OperationCanceledException) when (divergence is not null && !cancellationToken.IsCancellationRequested)
        {
            throw new PlatformException($"update stopped: {divergence}.", ExitCodes.GateFailed, "preview again and review the change set");
        }
        if (divergence is not null) throw new PlatformException($"update diverged from its preview: {divergence}.", ExitCodes.GateFailed);
    }
}
