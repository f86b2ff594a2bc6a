using System.CommandLine;
using Platform.Automation.Pulumi;
using Platform.Automation.Rollout;
using Platform.Automation.Stacks;
using Spectre.Console;

namespace Platform.Automation.Commands;

/// <summary>
/// <c>platform promote [--to STAGE] [--approve STAGE]… [--resume]</c>: the ordered rollout of the checked-in rollout file.
/// </summary>
public static class PromoteCommand
{
    public static readonly Option<string[]> Approve = new("--approve") { Description = "Approve the changes of this stage (repeatable); without it, a stage that requires approval asks on a terminal, or fails." };
    public static readonly Option<string[]> AllowDestructive = new("--allow-destructive") { Description = "Allow the delete or replace of the stateful resource with this URN (repeatable)." };
    public static readonly Option<string[]> Image = new("--image") { Description = "Run this image in the service's stacks: SERVICE=sha256:DIGEST (repeatable); without it, each stack keeps the image it runs." };

    public static Command Create()
    {
        var to = new Option<string?>("--to") { Description = "The last stage to promote to (default: the last stage)." };
        var resume = new Option<bool>("--resume") { Description = "Continue a failed promotion: stacks whose ledger already has this version are not run again." };
        var command = new Command("promote", "Promote the current program version through the rollout's stages, in order, with gates and a ledger.");
        command.Options.Add(to);
        command.Options.Add(Approve);
        command.Options.Add(resume);
        command.Options.Add(AllowDestructive);
        command.Options.Add(Image);
        command.SetAction(PlatformConsole.Action("promote", (ctx, parse, ct) =>
            RunAsync(ctx, new PromoteOptions(parse.GetValue(to), null, parse.GetValue(resume), parse.GetValue(AllowDestructive) ?? []), parse.GetValue(Approve) ?? [],
                parse.GetValue(Image) ?? [], ct)));
        return command;
    }

    public static async Task<int> RunAsync(ConsoleContext ctx, PromoteOptions options, IReadOnlyList<string> approve, IReadOnlyList<string> image,
        CancellationToken cancellationToken)
    {
        var requested = StackImages.Parse(image);
        var rollout = ctx.Rollout;
        foreach (var stage in approve.Where(a => rollout.Find(a) is null))
            throw new BadInputException($"--approve {stage}: there is no stage '{stage}' in {Path.GetFileName(rollout.Path)} (stages: {string.Join(", ", rollout.Stages.Select(s => s.Name))}).");
        if (options.To is not null) rollout.Require(options.To);
        if (options.OnlyStack is not null) ctx.RequireStack(options.OnlyStack);

        var stacks = options.OnlyStack is { } only
            ? [only, .. rollout.StageOf(only) is { } st && rollout.Previous(st) is { } prev ? prev.Stacks : []]
            : rollout.Stages.SelectMany(s => s.Stacks).ToList();
        var targets = options.OnlyStack is { } one ? [one] : stacks;
        var strays = (options.AllowDestructive ?? []).Where(u => Urn.StackOf(u) is not { } s || !targets.Contains(s)).ToList();
        if (strays.Count > 0)
            throw new BadInputException($"--allow-destructive {string.Join(", ", strays.Select(InputFile.Shown))}: not the URN of a resource of the stacks this run updates ({string.Join(", ", targets)}).",
                "copy the URN from the preview or the gate's message: urn:pulumi:<stack>::<project>::<type>::<name>");
        // Invalid settings and rollout checks on outputs no template exports are refused before pulumi is asked
        // anything (the images a run gives the stacks change no output); then the version with those images.
        var offline = VersionSource.Compute(ctx.Layout, stacks, rollout);
        var images = await StackImages.ResolveAsync(ctx.Layout, ctx.Cli, stacks, requested, cancellationToken);
        var version = VersionSource.WithImages(offline, ctx.Layout, images);
        ctx.Log.Information("Program version {Commit}: {Hashes}", version.ShortCommit,
            string.Join(", ", version.TemplateHashes.Select(h => $"{h.Key}={h.Value[..12]}")));

        var approver = new Approver(approve.ToHashSet(StringComparer.Ordinal), ctx.Interactive ? (stage, stack, changes) => Prompt(ctx, stage, stack, changes) : null);
        var progress = new StatusObserver();
        var promoter = new Promoter(ctx.Cli, ctx.Guard, new Ledger(ctx.Cli), approver, new HttpHealthProbe(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }),
            ctx.Access, ctx.Log, progress, images);
        PromotionReport report;
        var prompts = rollout.Stages.Any(s => s.RequiresApproval && !approve.Contains(s.Name));
        if (ctx.Interactive && !prompts)
        {
            // A person at a terminal, and no prompt to interleave: a live status line instead of the log lines.
            var level = ctx.ConsoleLevel.MinimumLevel;
            ctx.ConsoleLevel.MinimumLevel = Serilog.Events.LogEventLevel.Warning;
            try
            {
                report = await ctx.Out.Status().StartAsync("promoting ...", async status =>
                {
                    progress.Status = status;
                    return await promoter.PromoteAsync(rollout, version, options, cancellationToken);
                });
            }
            finally
            {
                ctx.ConsoleLevel.MinimumLevel = level;
            }
        }
        else report = await promoter.PromoteAsync(rollout, version, options, cancellationToken);

        ctx.Out.Write(Reports.PromotionTable(report));
        ctx.Out.WriteLine();
        foreach (var o in report.Outcomes.Where(o => o.Changes is { HasChanges: true }))
        {
            ctx.Out.Write(Reports.ChangeTable(o.Changes!));
            ctx.Out.WriteLine();
        }
        if (report.FirstFailure is { } failure) Reports.Failure(ctx.Out, failure);
        if (report.NothingToDo)
            ctx.Out.MarkupLine($"[green]Nothing to resume:[/] every stack already has {Markup.Escape(report.Version.ShortCommit)} in its ledger; nothing was run.");
        return report.ExitCode;
    }

    private static Task<bool> Prompt(ConsoleContext ctx, Stage stage, string stack, ChangeSet changes)
    {
        ctx.Out.Write(Reports.ChangeTable(changes));
        ctx.Out.WriteLine();
        var answer = ctx.Out.Prompt(new TextPrompt<string>($"Stage [bold]{Markup.Escape(stage.Name)}[/] requires approval. Type [bold]yes[/] to apply these changes to [bold]{Markup.Escape(stack)}[/]:").AllowEmpty());
        return Task.FromResult(answer == "yes");
    }
}

/// <summary>Shows the running stacks and their current step on a Spectre status line.</summary>
internal sealed class StatusObserver : IPromotionObserver
{
    private readonly Dictionary<string, string> _running = new(StringComparer.Ordinal);
    private int _done;

    public StatusContext? Status { get; set; }

    public void StepStarted(string stage, string stack, string step)
    {
        lock (_running)
        {
            _running[$"{stage}/{stack}"] = step;
            Update();
        }
    }

    public void StackFinished(StackOutcome outcome)
    {
        lock (_running)
        {
            _running.Remove($"{outcome.Stage}/{outcome.Stack}");
            _done++;
            Update();
        }
    }

    private void Update() =>
        Status?.Status(Markup.Escape($"{_done} done; " + string.Join(", ", _running.Select(r => $"{r.Key}: {r.Value}"))));
}

/// <summary><c>platform up --stack S</c>: the stack's own preview and gates (those of its stage), then <c>pulumi up --yes --skip-preview</c>.</summary>
public static class UpCommand
{
    public static Command Create()
    {
        var stack = new Option<string>("--stack", "-s") { Description = "The stack to update.", Required = true };
        var command = new Command("up", "Update one stack: account guard, preview, gates of its stage, pulumi up, post-checks, ledger.");
        command.Options.Add(stack);
        command.Options.Add(PromoteCommand.Approve);
        command.Options.Add(PromoteCommand.AllowDestructive);
        command.Options.Add(PromoteCommand.Image);
        command.SetAction(PlatformConsole.Action("up", (ctx, parse, ct) =>
            PromoteCommand.RunAsync(ctx, new PromoteOptions(null, parse.GetValue(stack), false, parse.GetValue(PromoteCommand.AllowDestructive) ?? []),
                parse.GetValue(PromoteCommand.Approve) ?? [], parse.GetValue(PromoteCommand.Image) ?? [], ct)));
        return command;
    }
}
