using System.CommandLine;
using Platform.Automation.Pulumi;
using Spectre.Console;

namespace Platform.Automation.Commands;

/// <summary>
/// <c>platform destroy --stack S</c>: refused for protected stages (the stage is <c>protected</c> in rollout.yaml or the
/// stack's <c>platform:profile.protect</c> is on) unless <c>--force</c> and the stack's name is typed on a terminal.
/// </summary>
public static class DestroyCommand
{
    public static Command Create()
    {
        var stack = new Option<string>("--stack", "-s") { Description = "The stack to destroy.", Required = true };
        var force = new Option<bool>("--force") { Description = "For a protected stage: destroy anyway, after typing the stack's name on a terminal." };
        var command = new Command("destroy", "Delete every resource of a stack (refused for protected stages without --force and a typed confirmation).");
        command.Options.Add(stack);
        command.Options.Add(force);
        command.SetAction(PlatformConsole.Action("destroy", (ctx, parse, ct) => RunAsync(ctx, parse.GetValue(stack)!, parse.GetValue(force), ct)));
        return command;
    }

    private static async Task<int> RunAsync(ConsoleContext ctx, string stack, bool force, CancellationToken cancellationToken)
    {
        ctx.RequireStack(stack);
        var stage = ctx.StageName(stack);
        var stageProtected = ctx.OptionalRollout?.Find(stage)?.Protected == true;
        var profileProtected = ctx.Layout.ReadStack(stack).Values.TryGetValue("platform:profile", out var profile) &&
                               profile.Replace(" ", "", StringComparison.Ordinal).Contains("\"protect\":true", StringComparison.Ordinal);
        if (stageProtected || profileProtected)
        {
            var why = stageProtected ? $"stage '{stage}' is protected (rollout.yaml)" : "its platform:profile has protect: true";
            if (!force)
                throw new PlatformException($"Refused: stack '{stack}' cannot be destroyed because {why}. Nothing was changed.", ExitCodes.GateFailed,
                    $"if you really mean it, run `platform destroy --stack {stack} --force` on a terminal and type the stack name");
            if (!ctx.Interactive)
                throw new PlatformException($"Refused: destroying protected stack '{stack}' needs its name typed on a terminal, and this is not one. Nothing was changed.", ExitCodes.GateFailed);
            var typed = ctx.Out.Prompt(new TextPrompt<string>($"[red bold]Destroy every resource of protected stack {Markup.Escape(stack)}?[/] Type the stack name to confirm:").AllowEmpty());
            if (typed != stack)
                throw new PlatformException($"Refused: the typed name did not match '{stack}'. Nothing was changed.", ExitCodes.GateFailed);
        }

        var identity = await ctx.Guard.CheckAsync(ctx.Access(stack), cancellationToken);
        ctx.Log.Information("{Stack}: account {Account} matches aws:allowedAccountIds; destroying", stack, identity.Account);
        var result = await ctx.Cli.DestroyAsync(stack, new UpdateOptions($"platform destroy by {Environment.UserName}"), cancellationToken);
        ctx.Out.Write(Reports.ChangeTable(result.Changes));
        ctx.Out.WriteLine();
        ctx.Log.Information("{Stack}: destroyed ({Count} resources deleted) in {Seconds:0.0}s", stack, result.Changes.Count(ChangeKind.Delete), result.Duration.TotalSeconds);
        return ExitCodes.Ok;
    }
}
