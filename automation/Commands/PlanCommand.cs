using System.CommandLine;
using Platform.Automation.Accounts;
using Platform.Automation.Plan;
using Platform.Automation.Rollout;
using Platform.Infra;
using Spectre.Console;

namespace Platform.Automation.Commands;

/// <summary>
/// <c>platform plan</c>: offline. Compiles every stack in-process (the compiler's own code path), validates, prints
/// resource counts by type, security findings, each stack's alarms and objectives (<see cref="AlarmReport"/>), its
/// recovery objectives and how each resource that keeps data meets them (<see cref="ResilienceReport"/>), and the
/// environment difference report. Needs no AWS account and no pulumi CLI.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var stacks = new Option<string[]>("--stack", "-s") { Description = "Only these stacks (repeatable); default: every Pulumi.<stack>.yaml.", AllowMultipleArgumentsPerToken = false };
        var outDir = new Option<string?>("--out") { Description = "Write each stack's template to DIR/<stack>.yaml." };
        var allow = new Option<string?>("--allow-list") { Description = "The intentional-differences file; default: plan-allow.yaml next to Pulumi.yaml." };
        var strict = new Option<bool>("--strict") { Description = "Exit 7 when a difference between stacks is not explained by the allow-list (for CI)." };
        var command = new Command("plan", "Offline: compile every stack in-process, count resources by type, and report what differs between stages.");
        command.Options.Add(stacks);
        command.Options.Add(outDir);
        command.Options.Add(allow);
        command.Options.Add(strict);
        command.SetAction(PlatformConsole.Action("plan", (ctx, parse, _) =>
            Task.FromResult(Run(ctx, parse.GetValue(stacks) ?? [], parse.GetValue(outDir), parse.GetValue(allow), parse.GetValue(strict)))));
        return command;
    }

    public static int Run(ConsoleContext ctx, IReadOnlyList<string> only, string? outDir, string? allowFile, bool strict)
    {
        var layout = ctx.Layout;
        var selected = only.Count > 0 ? only.Select(ctx.RequireStack).Distinct().ToList() : RolloutOrder(ctx, layout.Stacks);
        if (selected.Count == 0) throw new BadInputException($"No stacks: there is no Pulumi.<stack>.yaml in {layout.RootDirectory}.");
        if (outDir is not null && File.Exists(outDir))
            throw new BadInputException($"--out {outDir} is a file; the plan writes one template per stack into a directory.",
                "pass a directory (new or existing) to --out");
        // A named allow-list must exist (a typo is not "no intended differences"); the default one is optional.
        var allow = allowFile is not null
            ? AllowList.Load(allowFile, required: true)
            : AllowList.Load(Path.Combine(layout.RootDirectory, AllowList.DefaultFileName), required: false);

        var rollout = ctx.OptionalRollout;
        var compiled = new List<(string Stack, CompileResult Result, StackAwsAccess Access)>();
        var unexported = new List<string>();
        var failed = 0;
        foreach (var stack in selected)
        {
            var result = layout.Compile(stack);
            if (!result.Succeeded)
            {
                failed++;
                ctx.Log.Error("{Problems}", result.ErrorMessage!);
                continue;
            }
            compiled.Add((stack, result, StackAwsAccess.From(layout.ReadStack(stack))));
            unexported.AddRange(rollout?.UnexportedOutputs(stack, result.Template!.Outputs.Keys) ?? []);
            ctx.Log.Debug("{Stack}: {Count} resources, template {Bytes} bytes", stack, result.Template!.Resources.Count, result.Text!.Length);
        }

        if (outDir is not null && compiled.Count > 0) WriteTemplates(ctx, outDir, compiled.Select(c => (c.Stack, c.Result.Text!)));

        if (compiled.Count > 0)
        {
            var counts = new Table().Border(TableBorder.Rounded).Title("[bold]resources by type[/]");
            counts.AddColumn("type");
            foreach (var (stack, _, _) in compiled) counts.AddColumn(new TableColumn(Markup.Escape(stack)).RightAligned());
            var types = compiled.SelectMany(c => c.Result.Template!.Resources.Select(r => r.TypeToken)).Distinct().Order(StringComparer.Ordinal);
            foreach (var type in types)
                counts.AddRow([Markup.Escape(type), .. compiled.Select(c => c.Result.Template!.Resources.Count(r => r.TypeToken == type).ToString())]);
            counts.AddRow(["[bold]total[/]", .. compiled.Select(c => $"[bold]{c.Result.Template!.Resources.Count}[/]")]);
            ctx.Out.Write(counts);
            ctx.Out.WriteLine();
        }

        if (compiled.Count > 0) ctx.Out.Write(Findings(compiled.Select(c => (c.Stack, c.Result)).ToList()));

        if (compiled.Count > 0)
        {
            ctx.Out.Write(AlarmReport.Table([.. compiled.SelectMany(c => AlarmReport.Rows(c.Stack, c.Result.Template!))]));
            ctx.Out.WriteLine();
            ctx.Out.Write(ResilienceReport.Table([.. compiled.SelectMany(c => ResilienceReport.Rows(c.Stack, c.Result.Settings!, c.Result.Template!))]));
            ctx.Out.WriteLine();
        }

        var unexplained = 0;
        if (compiled.Count > 1)
        {
            var shapes = compiled.Select(c => EnvironmentDiff.Shape(c.Stack, c.Result.Template!, c.Access.AllowedAccountIds, c.Access.Region)).ToList();
            var differences = EnvironmentDiff.Compare(shapes, allow);
            unexplained = differences.Count(d => !d.Explained);
            var intended = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]intended differences[/]: {differences.Count - unexplained} (from {Markup.Escape(Path.GetFileName(allowFile ?? AllowList.DefaultFileName))})");
            intended.AddColumns("why", "differences", "resources");
            foreach (var group in differences.Where(d => d.Explained).GroupBy(d => d.AllowedBecause!))
            {
                var names = group.Select(d => d.Resource).Distinct().ToList();
                intended.AddRow(Markup.Escape(group.Key), group.Count().ToString(),
                    Markup.Escape(string.Join(", ", names.Take(4)) + (names.Count > 4 ? $" (+{names.Count - 4})" : "")));
            }
            if (differences.All(d => !d.Explained)) intended.AddRow("[grey]none[/]", "", "");
            ctx.Out.Write(intended);
            ctx.Out.WriteLine();

            var table = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]unexplained differences[/]: {unexplained}");
            table.AddColumn("resource");
            table.AddColumn("property");
            foreach (var (stack, _, _) in compiled) table.AddColumn(Markup.Escape(stack));
            foreach (var d in differences.Where(d => !d.Explained))
                table.AddRow([Markup.Escape($"{d.Resource} ({d.Type})"), Markup.Escape(d.Property ?? "(only in some stacks)"),
                    .. compiled.Select(c => d.Values[c.Stack] is { } v ? Markup.Escape(Shorten(v)) : "[grey]-[/]")]);
            if (unexplained == 0) table.AddRow(["[green]none[/]", "", .. compiled.Select(_ => "")]);
            ctx.Out.Write(table);
            ctx.Out.WriteLine();
            if (unexplained > 0)
                ctx.Log.Warning("{Count} difference(s) between stacks are not in {AllowList}: intended ones belong there with a reason", unexplained,
                    Path.GetFileName(allowFile ?? AllowList.DefaultFileName));
        }

        if (failed > 0)
            ctx.Log.Error("{Failed} of {Total} stacks have configuration problems; fix them and run `platform plan` again", failed, selected.Count);
        rollout?.RefuseUnexportedOutputs(unexported);
        AccountBaselines.Refuse(AccountBaselines.Problems(layout, selected));
        if (failed > 0) return ExitCodes.BadInput;
        ctx.Log.Information("plan: {Count} stack(s) compiled and valid", compiled.Count);
        return strict && unexplained > 0 ? ExitCodes.GateFailed : ExitCodes.Ok;
    }

    /// <summary>
    /// The policy pack's verdict per stack (docs/controls.md): advisory findings, waived findings with their reason and
    /// expiry, and stale waivers (the rule no longer fires). Mandatory violations never get here: they fail the compile.
    /// </summary>
    internal static Table Findings(IReadOnlyList<(string Stack, CompileResult Result)> compiled)
    {
        var rows = FindingRows(compiled);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]security findings[/]: {rows.Count} (mandatory controls all pass; see docs/controls.md)");
        table.AddColumns("stack", "control", "verdict", "resources", "finding", "fix");
        foreach (var group in rows.GroupBy(r => (r.Stack, r.Control, r.Verdict, r.Text, r.Fix)))
            table.AddRow(Markup.Escape(group.Key.Stack), Markup.Escape(group.Key.Control), Markup.Escape(group.Key.Verdict),
                Markup.Escape(string.Join(", ", group.Select(r => r.Resource))), Markup.Escape(group.Key.Text), Markup.Escape(group.Key.Fix));
        if (rows.Count == 0) table.AddRow("[green]none[/]", "", "", "", "", "");
        return table;
    }

    internal sealed record FindingRow(string Stack, string Control, string Verdict, string Resource, string Text, string Fix);

    internal static List<FindingRow> FindingRows(IReadOnlyList<(string Stack, CompileResult Result)> compiled) =>
        compiled.SelectMany(c => c.Result.Policy is not { } report ? [] :
            report.Advisory.Select(f => new FindingRow(c.Stack, f.Control, "advisory", f.Resource, f.Problem, f.Fix))
                .Concat(report.Waived.Select(w => new FindingRow(c.Stack, w.Finding.Control, $"waived until {w.Waiver.Expires:yyyy-MM-dd}", w.Finding.Resource, w.Finding.Problem, $"waiver: {w.Waiver.Reason}")))
                .Concat(report.Stale.Select(s => new FindingRow(c.Stack, s.Waiver.Control, "stale waiver", s.Waiver.Resource, "the rule no longer fires on this resource", $"remove it from {Platform.Infra.Settings.Waiver.Key}"))))
            .ToList();

    /// <summary>The stacks in rollout order (dev, stage, prod), then the stacks outside the rollout by name.</summary>
    private static List<string> RolloutOrder(ConsoleContext ctx, IReadOnlyList<string> stacks)
    {
        var order = ctx.OptionalRollout?.Stages.SelectMany(s => s.Stacks).Where(stacks.Contains).ToList() ?? [];
        return [.. order, .. stacks.Where(s => !order.Contains(s))];
    }

    private static void WriteTemplates(ConsoleContext ctx, string outDir, IEnumerable<(string Stack, string Text)> templates)
    {
        var count = 0;
        try
        {
            Directory.CreateDirectory(outDir);
            foreach (var (stack, text) in templates)
            {
                File.WriteAllText(Path.Combine(outDir, $"{stack}.yaml"), text);
                count++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new BadInputException($"--out {outDir}: the templates cannot be written there ({e.Message.TrimEnd('.')}).",
                "pass --out DIR with a directory you can write");
        }
        ctx.Log.Information("Wrote {Count} templates to {Dir}", count, Path.GetFullPath(outDir));
    }

    private static string Shorten(string value) => value.Length <= 48 ? value : value[..45] + "...";
}
