using Platform.Automation.Pulumi;
using Platform.Automation.Rollout;
using Spectre.Console;

namespace Platform.Automation.Commands;

/// <summary>The tables the commands print (Spectre.Console). Values are escaped: nothing from a template is markup.</summary>
public static class Reports
{
    public static Table ChangeTable(ChangeSet changes)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(changes.Stack)}[/]: {Summary(changes)}");
        table.AddColumns("op", "resource", "type", "changed properties", "flag");
        foreach (var c in changes.Changes)
        {
            var flag = c.Destructive && c.Stateful ? "[red bold]STATEFUL " + c.Kind.ToString().ToUpperInvariant() + "[/]" : c.Protected ? "[yellow]protected[/]" : "";
            var props = string.Join(", ", c.ChangedProperties.Select(p => c.ReplaceReasons.Any(r => PropertyPath.IsWithin(p, r)) ? p + " (replace)" : p));
            table.AddRow(Markup.Escape(c.Symbol + " " + c.Kind.ToString().ToLowerInvariant()), Markup.Escape(c.Name), Markup.Escape(c.Type), Markup.Escape(props), flag);
        }
        if (changes.Changes.Count == 0) table.AddRow("", "[green]no changes[/]", "", "", "");
        return table;
    }

    /// <summary>What drifted on one resource, for the drift table: its name and properties, or that it is gone.</summary>
    public static string Drifted(ResourceChange c) => c.Kind switch
    {
        ChangeKind.Delete => $"{c.Name} (deleted outside pulumi)",
        _ when c.ChangedProperties.Count == 0 => $"{c.Name} (changed)",
        _ => $"{c.Name} ({string.Join(", ", c.ChangedProperties)})",
    };

    public static string Summary(ChangeSet c) =>
        c.HasChanges
            ? $"{c.Count(ChangeKind.Create)} to create, {c.Count(ChangeKind.Update)} to update, {c.Count(ChangeKind.Replace)} to replace, {c.Count(ChangeKind.Delete)} to delete"
            : "no changes";

    public static Table PromotionTable(PromotionReport report)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]promotion {Markup.Escape(report.Version.ShortCommit)}[/] (run {Markup.Escape(report.Run)})");
        table.AddColumns("stage", "stack", "result", "step", "changes", "time", "detail");
        foreach (var o in report.Outcomes)
        {
            var result = o.Status switch
            {
                StackStatus.Deployed => "[green]deployed[/]",
                StackStatus.Unchanged => "[green]unchanged[/]",
                StackStatus.AlreadyDone => "[green]already done[/]",
                StackStatus.Failed => "[red bold]FAILED[/]",
                _ => "[grey]not run[/]",
            };
            var detail = o.Detail is null ? "" : o.Detail.Split('\n')[0];
            table.AddRow(Markup.Escape(o.Stage), Markup.Escape(o.Stack), result, Markup.Escape(o.Step),
                o.Changes is null ? "" : Markup.Escape(Short(o.Changes)), $"{o.Duration.TotalSeconds:0.0}s", Markup.Escape(detail));
        }
        return table;
    }

    public static string Short(ChangeSet c) =>
        c.HasChanges ? $"+{c.Count(ChangeKind.Create)} ~{c.Count(ChangeKind.Update)} +-{c.Count(ChangeKind.Replace)} -{c.Count(ChangeKind.Delete)}" : "none";

    /// <summary>Prints the failure as "where and why" plus the fix and the stderr tail.</summary>
    public static void Failure(IAnsiConsole console, StackOutcome failure)
    {
        console.MarkupLine($"[red bold]FAILED[/] at stage [bold]{Markup.Escape(failure.Stage)}[/], stack [bold]{Markup.Escape(failure.Stack)}[/], step [bold]{Markup.Escape(failure.Step)}[/]:");
        // Plain lines, never wrapped: paths and commands stay whole, to be copied.
        var raw = console.Profile.Out.Writer;
        foreach (var line in (failure.Detail ?? "").Split('\n')) raw.WriteLine("  " + line);
        if (failure.Fix is null) return;
        var fix = failure.Fix.Split('\n');
        raw.WriteLine("  fix: " + fix[0]);
        foreach (var line in fix.Skip(1)) raw.WriteLine("       " + line);
    }
}
