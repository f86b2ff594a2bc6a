using Platform.Automation.Pulumi;

namespace Platform.Automation.Rollout;

public enum StackStatus
{
    /// <summary>Changes applied, checks passed, ledger written.</summary>
    Deployed,

    /// <summary>Nothing to change; checks passed, ledger written.</summary>
    Unchanged,

    /// <summary><c>--resume</c>: the ledger says this version already succeeded here.</summary>
    AlreadyDone,

    Failed,

    /// <summary>Not started because an earlier stack failed.</summary>
    NotRun,
}

/// <summary>What happened to one stack: the step it reached, the change set, and for a failure the reason and fix.</summary>
public sealed record StackOutcome(
    string Stage,
    string Stack,
    StackStatus Status,
    string Step,
    string? Detail,
    string? Fix,
    ChangeSet? Changes,
    TimeSpan Duration,
    int ExitCode);

public sealed record PromotionReport(ProgramVersion Version, string Run, IReadOnlyList<StackOutcome> Outcomes)
{
    public StackOutcome? FirstFailure => Outcomes.FirstOrDefault(o => o.Status == StackStatus.Failed);

    public int ExitCode => FirstFailure?.ExitCode ?? ExitCodes.Ok;

    /// <summary>A resume that found every stack already at the version: nothing ran.</summary>
    public bool NothingToDo => Outcomes.Count > 0 && Outcomes.All(o => o.Status == StackStatus.AlreadyDone);
}

public sealed record PromoteOptions(
    string? To = null,
    string? OnlyStack = null,
    bool Resume = false,
    IReadOnlyCollection<string>? AllowDestructive = null,
    string? Run = null);

/// <summary>Progress callbacks (the console shows them; tests ignore them).</summary>
public interface IPromotionObserver
{
    void StepStarted(string stage, string stack, string step);

    void StackFinished(StackOutcome outcome);
}
