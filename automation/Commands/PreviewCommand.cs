using System.CommandLine;
using Platform.Automation.Pulumi;
using Platform.Automation.Rollout;
using Spectre.Console;

namespace Platform.Automation.Commands;

/// <summary>
/// <c>platform preview --stack S | --all</c>: <c>pulumi preview</c> with an event log, parsed into a typed change set;
/// replacements and deletions of stateful resources are flagged. <c>--all</c> previews the whole rollout, stage by stage.
/// </summary>
public static class PreviewCommand
{
    public static Command Create()
    {
        var stacks = new Option<string[]>("--stack", "-s") { Description = "The stack to preview (repeatable)." };
        var all = new Option<bool>("--all") { Description = "Preview every stack of the rollout, in rollout order, as one aggregated report." };
        var command = new Command("preview", "Preview a stack's changes (pulumi preview), flagging deletes and replaces of stateful resources.");
        command.Options.Add(stacks);
        command.Options.Add(all);
        command.SetAction(PlatformConsole.Action("preview", (ctx, parse, ct) => RunAsync(ctx, parse.GetValue(stacks) ?? [], parse.GetValue(all), ct)));
        return command;
    }

    public static async Task<int> RunAsync(ConsoleContext ctx, IReadOnlyList<string> stacks, bool all, CancellationToken cancellationToken)
    {
        if (all == stacks.Count > 0)
            throw new BadInputException("Give either --stack S (repeatable) or --all.", "platform preview --stack dev, or platform preview --all");
        var plan = all
            ? ctx.Rollout.Stages.Select(s => (Stage: s.Name, s.Stacks, s.Concurrency)).ToList()
            : stacks.Select(ctx.RequireStack).Distinct().Select(s => (Stage: ctx.StageName(s), Stacks: (IReadOnlyList<string>)[s], Concurrency: 1)).ToList();
        await ctx.Cli.CheckVersionAsync(cancellationToken);
        // Each stack previews with the images it runs, so a running service never shows as removed.
        var images = await StackImages.ResolveAsync(ctx.Layout, ctx.Cli, plan.SelectMany(p => p.Stacks).ToList(), new Dictionary<string, string>(), cancellationToken);

        var results = new List<(string Stage, ChangeSet Changes)>();
        foreach (var (stage, stageStacks, concurrency) in plan)
        {
            using var gate = new SemaphoreSlim(concurrency, concurrency);
            var runs = stageStacks.Select(async stack =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    ctx.Log.Information("Previewing {Stack}", stack);
                    await using var written = await images.WriteAsync(stack, cancellationToken);
                    return (stage, (await ctx.Cli.PreviewAsync(stack, cancellationToken)).Changes);
                }
                finally
                {
                    gate.Release();
                }
            });
            results.AddRange(await Task.WhenAll(runs));
        }

        if (all)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("[bold]rollout preview[/]");
            table.AddColumns("stage", "stack", "create", "update", "replace", "delete", "stateful deletes/replaces");
            foreach (var (stage, c) in results)
            {
                var flagged = c.StatefulDestructive.Select(x => $"{x.Kind.ToString().ToLowerInvariant()} {x.Name}").ToList();
                table.AddRow(Markup.Escape(stage), Markup.Escape(c.Stack), c.Count(ChangeKind.Create).ToString(), c.Count(ChangeKind.Update).ToString(),
                    c.Count(ChangeKind.Replace).ToString(), c.Count(ChangeKind.Delete).ToString(),
                    flagged.Count == 0 ? "" : "[red bold]" + Markup.Escape(string.Join(", ", flagged)) + "[/]");
            }
            ctx.Out.Write(table);
            ctx.Out.WriteLine();
        }
        foreach (var (_, c) in results.Where(r => !all || r.Changes.HasChanges))
        {
            ctx.Out.Write(Reports.ChangeTable(c));
            ctx.Out.WriteLine();
        }
        foreach (var (_, c) in results)
            foreach (var x in c.StatefulDestructive)
                ctx.Log.Warning("{Stack}: {Kind} of stateful resource {Urn}{Reasons}", c.Stack, x.Kind.ToString().ToUpperInvariant(), x.Urn,
                    x.ReplaceReasons.Count > 0 ? $" (caused by {string.Join(", ", x.ReplaceReasons)})" : "");
        return ExitCodes.Ok;
    }

    /// <summary>The stack's stage in the rollout file, or "-" (no rollout file, or a stack outside it).</summary>
    public static string StageName(this ConsoleContext ctx, string stack) => ctx.OptionalRollout?.StageOf(stack)?.Name ?? "-";
}
