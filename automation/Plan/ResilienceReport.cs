using Platform.Infra.Aws.Backup;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Aws.Rds;
using Platform.Infra.Aws.S3;
using Platform.Infra.Aws.Sns;
using Platform.Infra.Model;
using Platform.Infra.Settings;
using Spectre.Console;

namespace Platform.Automation.Plan;

/// <summary>How one protected resource of a stack meets the stack's recovery objectives, as the plan shows it.</summary>
/// <param name="Resource">The resource's logical name (the database instance, a secure store's bucket).</param>
/// <param name="Objectives">The stack's RPO, RTO and DR region, or why it has none.</param>
/// <param name="Protection">What the template does for it: backups, copies, replication, drills.</param>
/// <param name="Verdict">Whether the RPO is met, or that the resource is not protected.</param>
public sealed record ResilienceRow(string Stack, string Resource, string Objectives, string Protection, string Verdict);

/// <summary>
/// Each stack's recovery objectives and, per resource that keeps data (the database, every secure store), how the
/// compiled template meets them: the backup plan's frequency against the RPO, the copy to the DR region, RDS backup
/// replication, S3 replication with or without Replication Time Control, restore drills, failures alerting the alarm
/// topic. The objectives come from the
/// settings (<c>platform:dr</c>); what protects a resource comes from the template.
/// </summary>
public static class ResilienceReport
{
    public static IReadOnlyList<ResilienceRow> Rows(string stack, StackSettings settings, Template template)
    {
        var data = new List<string>();
        if (settings.Database is not null) data.Add("database-instance");
        data.AddRange(settings.Services.SelectMany(s => s.Stores.Where(store => store.Kind == StoreKind.SecureStore).Select(store => $"{s.Name}-{store.Name}-bucket")));
        if (settings.Dr is not { } dr)
        {
            var why = settings.Profile.DisposableData ? "no DR: the stage's data is disposable" : "no DR: platform:dr is not set";
            return [.. data.Select(r => new ResilienceRow(stack, r, why,
                r == "database-instance" ? "RDS automated backups in the stack's region only" : "object versions in the stack's region only",
                settings.Profile.DisposableData ? "not protected (by design)" : "NOT PROTECTED"))];
        }

        var objectives = $"RPO {dr.RpoHours} h, RTO {dr.RtoHours} h, DR {dr.Region}";
        var selected = References(template.OfType<Selection>().Select(s => s.RenderedInputs));
        var drilled = References(template.OfType<RestoreTestingSelection>().Select(s => s.RenderedInputs));
        var copyRegions = template.OfType<Infra.Aws.Backup.Plan>().SelectMany(p => References([p.RenderedInputs]))
            .Select(vault => template.Find(vault.Split('.')[0]))
            .OfType<Vault>()
            .Select(v => Region(v.RenderedInputs) ?? settings.Aws.Region)
            .Where(r => r != settings.Aws.Region)
            .Distinct()
            .ToList();
        var alerted = AlertedVaults(template);
        var planVaults = template.OfType<Infra.Aws.Backup.Plan>().SelectMany(p => References([p.RenderedInputs])).Select(r => r.Split('.')[0]).ToList();
        var failuresAlert = planVaults.Any(alerted.Contains);
        var rows = new List<ResilienceRow>();
        foreach (var resource in data)
        {
            var parts = new List<string>();
            var backedUp = selected.Contains($"{resource}.arn");
            if (backedUp)
                parts.Add($"AWS Backup every {dr.BackupFrequencyHours} h, kept {dr.RetentionDays} d" +
                    (copyRegions.Count > 0 ? $", copied to {string.Join(", ", copyRegions)}" : ", no cross-region copy"));
            foreach (var replication in template.OfType<InstanceAutomatedBackupsReplication>().Where(r => References([r.RenderedInputs]).Contains($"{resource}.arn")))
                parts.Add($"RDS backup replication to {Region(replication.RenderedInputs)} (point-in-time restore)");
            foreach (var replication in template.OfType<BucketReplicationConfig>().Where(r => References([r.RenderedInputs]).Contains($"{resource}.id")))
            {
                var rtc = Field(replication.RenderedInputs, "rules", "0", "destination", "replicationTime") is not null;
                var replica = References([replication.RenderedInputs]).Select(r => template.Find(r.Split('.')[0])).OfType<Bucket>().FirstOrDefault(b => b.LogicalName != resource);
                parts.Add($"S3 replication to {(replica is null ? "?" : Region(replica.RenderedInputs))} " + (rtc ? "with RTC (15 min)" : "without RTC"));
            }
            if (drilled.Contains($"{resource}.arn")) parts.Add($"restore drill {dr.Drills.Schedule}");
            if (backedUp && failuresAlert) parts.Add("alerts: alarm topic");
            var verdict = !backedUp ? "NOT PROTECTED"
                : dr.BackupFrequencyHours > dr.RpoHours ? $"RPO NOT MET ({dr.BackupFrequencyHours} h > {dr.RpoHours} h)"
                : copyRegions.Count == 0 ? "RPO met in-region only"
                : "RPO met; RTO measured by the drills";
            rows.Add(new ResilienceRow(stack, resource, objectives, parts.Count == 0 ? "none" : string.Join("; ", parts), verdict));
        }
        return rows;
    }

    public static Table Table(IReadOnlyList<ResilienceRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]data resilience[/]: recovery objectives and how each resource meets them (docs/dr.md)");
        table.AddColumns("stack", "resource", "objectives", "protection", "verdict");
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Stack), Markup.Escape(r.Resource), Markup.Escape(r.Objectives), Markup.Escape(r.Protection),
                r.Verdict.StartsWith("RPO met", StringComparison.Ordinal) ? $"[green]{Markup.Escape(r.Verdict)}[/]" : Markup.Escape(r.Verdict));
        if (rows.Count == 0) table.AddRow("[grey]none[/]", "", "", "", "");
        return table;
    }

    /// <summary>The vaults whose failed jobs an EventBridge rule sends to an SNS topic (the rule's pattern names the vault).</summary>
    private static HashSet<string> AlertedVaults(Template template)
    {
        var rules = template.OfType<EventTarget>()
            .Select(t => References([t.RenderedInputs]).Select(r => template.Find(r.Split('.')[0])).ToList())
            .Where(targets => targets.OfType<Topic>().Any())
            .SelectMany(targets => targets.OfType<EventRule>());
        return [.. rules.SelectMany(r => References([r.RenderedInputs])).Select(r => r.Split('.')[0]).Where(name => template.Find(name) is Vault)];
    }

    /// <summary>Every <c>resource.path</c> the values reference, anywhere inside them.</summary>
    private static HashSet<string> References(IEnumerable<Value> values)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        void Walk(Value? v)
        {
            switch (v)
            {
                case ReferenceValue r: found.Add(r.Expression); break;
                case ListValue l: foreach (var i in l.Items) Walk(i); break;
                case MapValue m: foreach (var e in m.Entries) Walk(e.Value); break;
                case InterpolationValue i: foreach (var p in i.Parts) Walk(p); break;
                case FunctionValue f: Walk(f.Argument); break;
            }
        }
        foreach (var value in values) Walk(value);
        return found;
    }

    private static Value? Field(Value? value, params string[] path)
    {
        foreach (var step in path)
            value = value switch
            {
                MapValue m => m[step],
                ListValue l when int.TryParse(step, out var i) && i < l.Items.Count => l.Items[i],
                _ => null,
            };
        return value;
    }

    private static string? Region(Value value) => value is MapValue m && m["region"] is StringValue s ? s.Text : null;
}
