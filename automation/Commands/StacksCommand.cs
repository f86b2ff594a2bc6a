using System.CommandLine;
using Platform.Automation.Accounts;
using Platform.Automation.Pulumi;
using Platform.Automation.Rollout;
using Spectre.Console;

namespace Platform.Automation.Commands;

/// <summary><c>platform stacks</c>: every stack with its stage, account, region and last promoted version (from the ledger).</summary>
public static class StacksCommand
{
    public static Command Create()
    {
        var command = new Command("stacks", "List every stack: stage, account, region and the last promoted version (from the ledger in the state backend).");
        command.SetAction(PlatformConsole.Action("stacks", RunAsync));
        return command;
    }

    private static async Task<int> RunAsync(ConsoleContext ctx, ParseResult parse, CancellationToken cancellationToken)
    {
        var layout = ctx.Layout;
        var rollout = ctx.OptionalRollout;
        // Every stack file is read before anything runs: a malformed one is refused, not half a table.
        var access = layout.Stacks.ToDictionary(s => s, s => StackAwsAccess.From(layout.ReadStack(s)));

        string? ledgerUnavailable = null;
        try
        {
            await ctx.Cli.CheckVersionAsync(cancellationToken);
        }
        catch (PulumiException e) when (e.ExitCode == ExitCodes.CliUnavailable)
        {
            ledgerUnavailable = "unknown (no usable pulumi CLI)";
            ctx.Log.Warning("{Message} The promoted versions come from the state backend and are not shown. Fix: {Fix}", e.Message, e.Fix);
        }

        var ledger = new Ledger(ctx.Cli);
        var corrupt = 0;
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]stacks[/]");
        table.AddColumns("stack", "stage", "account", "region", "promoted version");
        var ordered = layout.Stacks.OrderBy(s => rollout?.Stages.ToList().FindIndex(st => st.Stacks.Contains(s)) is { } i and >= 0 ? i : int.MaxValue).ThenBy(s => s, StringComparer.Ordinal);
        foreach (var stack in ordered)
        {
            string version;
            if (ledgerUnavailable is not null) version = ledgerUnavailable;
            else
            {
                try
                {
                    version = (await ledger.ReadAsync(stack, cancellationToken))?.Describe() ?? "never promoted";
                }
                catch (StackNotFoundException)
                {
                    version = "not created in the backend";
                }
                catch (CorruptLedgerException e)
                {
                    corrupt++;
                    version = "CORRUPT ledger entry";
                    ctx.Log.Error("{Message} Fix: {Fix}", e.Message, e.Fix);
                }
            }
            table.AddRow(Markup.Escape(stack), Markup.Escape(rollout?.StageOf(stack)?.Name ?? "-"), Markup.Escape(string.Join(", ", access[stack].AllowedAccountIds)),
                Markup.Escape(access[stack].Region), Markup.Escape(version));
        }
        ctx.Out.Write(table);
        ctx.Out.WriteLine();
        return corrupt > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }
}
