using System.Globalization;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Model;
using Spectre.Console;

namespace Platform.Automation.Plan;

/// <summary>One alarm of a stack as the plan shows it: an alarm on a metric, or an objective (SLO) alarm.</summary>
/// <param name="Kind"><c>alarm</c> or <c>SLO</c>.</param>
/// <param name="Alarm">Its logical name without the <c>monitoring-</c> prefix.</param>
/// <param name="Watches">What it watches (metric and statistic, or the metric-math expression; the objective for an SLO).</param>
/// <param name="Fires">When it fires (comparison, threshold, datapoints of periods; region when not the stack's).</param>
public sealed record AlarmRow(string Stack, string Kind, string Alarm, string Watches, string Fires);

/// <summary>
/// The alarms and objectives of each compiled stack, read from its template: every metric alarm that notifies, and
/// every composite alarm (the objectives' burn-rate alerts; their per-window parts are left out).
/// </summary>
public static class AlarmReport
{
    public static IReadOnlyList<AlarmRow> Rows(string stack, Template template)
    {
        var rows = new List<AlarmRow>();
        foreach (var resource in template.Resources)
        {
            var p = (MapValue)resource.RenderedInputs;
            var name = resource.LogicalName.StartsWith("monitoring-", StringComparison.Ordinal) ? resource.LogicalName["monitoring-".Length..] : resource.LogicalName;
            var region = Text(p["region"]) is { } r ? $" in {r}" : "";
            if (resource.TypeToken == CompositeAlarm.PulumiType)
                rows.Add(new AlarmRow(stack, "SLO", name, Text(p["alarmDescription"]) ?? "", $"all of {Parts(p["alarmRule"])} in ALARM{region}"));
            else if (resource.TypeToken == MetricAlarm.PulumiType && p["alarmActions"] is not null)
                rows.Add(new AlarmRow(stack, "alarm", name, Watches(p), $"{Comparison(Text(p["comparisonOperator"]))} {Text(p["threshold"])}, " +
                    $"{Text(p["datapointsToAlarm"])} of {Text(p["evaluationPeriods"])} x {Period(p)} s{region}"));
        }
        return rows;
    }

    public static Table Table(IReadOnlyList<AlarmRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]alarms and objectives[/]: {rows.Count(r => r.Kind == "alarm")} alarms, {rows.Count(r => r.Kind == "SLO")} SLO alerts (docs/configuration.md, platform:monitoring)");
        table.AddColumns("stack", "kind", "alarm", "watches", "fires when");
        foreach (var r in rows) table.AddRow(Markup.Escape(r.Stack), r.Kind, Markup.Escape(r.Alarm), Markup.Escape(r.Watches), Markup.Escape(r.Fires));
        if (rows.Count == 0) table.AddRow("[grey]none[/]", "", "", "", "");
        return table;
    }

    private static string Watches(MapValue p)
    {
        if (p["metricQueries"] is ListValue queries)
        {
            var metrics = queries.Items.OfType<MapValue>().Select(q => q["metric"]).OfType<MapValue>().Select(m => Text(m["metricName"])).Distinct();
            var expression = queries.Items.OfType<MapValue>().Select(q => Text(q["expression"])).FirstOrDefault(e => e is not null);
            return $"{expression} ({string.Join(", ", metrics)})";
        }
        return $"{Text(p["namespace"])} {Text(p["metricName"])} {Text(p["statistic"]) ?? Text(p["extendedStatistic"])}";
    }

    private static string? Period(MapValue p) => Text(p["period"]) ??
        (p["metricQueries"] as ListValue)?.Items.OfType<MapValue>().Select(q => q["metric"]).OfType<MapValue>().Select(m => Text(m["period"])).FirstOrDefault();

    private static int Parts(Value? rule) => rule is InterpolationValue i ? i.Parts.OfType<ReferenceValue>().Count() : 0;

    private static string Comparison(string? op) => op switch
    {
        "GreaterThanThreshold" => ">",
        "GreaterThanOrEqualToThreshold" => ">=",
        "LessThanThreshold" => "<",
        "LessThanOrEqualToThreshold" => "<=",
        _ => op ?? "?",
    };

    private static string? Text(Value? value) => value switch
    {
        StringValue s => s.Text,
        NumberValue n => n.Render(),
        BoolValue b => b.Flag ? "true" : "false",
        _ => null,
    };
}
