using System.CommandLine;
using Platform.Automation.Pulumi;
using Spectre.Console;

namespace Platform.Automation.Commands;

/// <summary><c>platform drift [--all]</c>: <c>pulumi refresh --preview-only --expect-no-changes</c> per stack; exit 1 when anything drifted.</summary>
public static class DriftCommand
{
    public static Command Create()
    {
        var stacks = new Option<string[]>("--stack", "-s") { Description = "Only these stacks (repeatable)." };
        var all = new Option<bool>("--all") { Description = "Every stack (the default when no --stack is given)." };
        var command = new Command("drift", "Detect drift: compare each stack's state with the cloud without changing either; exit 1 when anything drifted.");
        command.Options.Add(stacks);
        command.Options.Add(all);
        command.SetAction(PlatformConsole.Action("drift", (ctx, parse, ct) =>
        {
            var only = parse.GetValue(stacks) ?? [];
            if (parse.GetValue(all) && only.Length > 0)
                throw new BadInputException("--all and --stack contradict each other: --all checks every stack, --stack only those named.",
                    "platform drift --all, or platform drift --stack dev [--stack stage]");
            return RunAsync(ctx, only, ct);
        }));
        return command;
    }

    private static async Task<int> RunAsync(ConsoleContext ctx, IReadOnlyList<string> only, CancellationToken cancellationToken)
    {
        var stacks = only.Count > 0 ? only.Select(ctx.RequireStack).Distinct().ToList() : ctx.Layout.Stacks.ToList();
        await ctx.Cli.CheckVersionAsync(cancellationToken);
        // Every stack: those never created in the backend have nothing to drift (an explicit --stack must exist).
        var existing = (await ctx.Cli.ListStacksAsync(cancellationToken)).Select(s => s.Name).ToHashSet();
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]drift[/]");
        table.AddColumns("stack", "result", "drifted resources");
        var drifted = 0;
        var details = new List<ChangeSet>();
        foreach (var stack in stacks)
        {
            if (only.Count == 0 && !existing.Contains(stack))
            {
                table.AddRow(Markup.Escape(stack), "[grey]not deployed[/]", "");
                continue;
            }
            ctx.Log.Information("Checking {Stack} for drift", stack);
            var changes = (await ctx.Cli.DriftAsync(stack, cancellationToken)).Changes;
            if (changes.HasChanges)
            {
                drifted++;
                details.Add(changes);
                table.AddRow(Markup.Escape(stack), "[red bold]DRIFTED[/]",
                    Markup.Escape(changes.Changes.Count > 0 ? string.Join(", ", changes.Changes.Select(Reports.Drifted))
                        : $"(pulumi reported drift without naming it: pulumi refresh --preview-only --stack {stack})"));
            }
            else table.AddRow(Markup.Escape(stack), "[green]in sync[/]", "");
        }
        ctx.Out.Write(table);
        ctx.Out.WriteLine();
        ctx.Out.MarkupLine(drifted == 0 ? $"[green]No drift[/] in {stacks.Count} stack(s)." : $"[red bold]{drifted} of {stacks.Count} stack(s) drifted.[/] Review with `pulumi refresh --stack <stack>`.");
        return drifted == 0 ? ExitCodes.Ok : ExitCodes.Drift;
    }
}
