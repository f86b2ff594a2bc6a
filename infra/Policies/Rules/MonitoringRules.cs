using Platform.Infra.Model;

namespace Platform.Infra.Policies.Rules;

/// <summary>Alarm and notification controls: SNS topics and CloudWatch alarms.</summary>
public static class MonitoringRules
{
    private const string MetricAlarm = "aws:cloudwatch:MetricAlarm";
    private const string CompositeAlarm = "aws:cloudwatch:CompositeAlarm";

    /// <summary>The metric alarms a composite alarm's rule names (<c>ALARM("${part.arn}")</c>): they notify through it.</summary>
    private static HashSet<string> CompositeParts(PolicyContext c) =>
        c.OfType(CompositeAlarm).SelectMany(a => V.References(a["alarmRule"])).Select(r => r.Resource).ToHashSet(StringComparer.Ordinal);

    public static IEnumerable<Rule> All =>
    [
        new("SNS.1", Severity.Medium, "SNS topics are encrypted at rest with a KMS key (kmsMasterKeyId).", Rule.Mandatory, c =>
            c.OfType("aws:sns:Topic").Where(t => t["kmsMasterKeyId"] is null)
                .Select(t => t.Violation("is not encrypted at rest with a KMS key.",
                    "set kmsMasterKeyId to a customer-managed key whose policy lets the publishing services (cloudwatch.amazonaws.com, events.rds.amazonaws.com) use it"))),

        new("SNS.4", Severity.Critical, "SNS topic policies allow no one (Principal \"*\") without a condition.", Rule.Mandatory, c =>
            c.OfType("aws:sns:TopicPolicy").Concat(c.OfType("aws:sns:Topic"))
                .Where(p => Statement.Of(V.Document(p["policy"])).Any(s => s.Allows && s.PrincipalIsAnyone && s.Condition is null))
                .Select(p => p.Violation("lets anyone use the topic.", "name the publishing service principals with aws:SourceAccount / aws:SourceArn conditions"))),

        new("CloudWatch.15", Severity.High, "Every alarm notifies: a metric alarm has alarmActions or is part of a composite alarm; a composite alarm has alarmActions.", Rule.Mandatory, c =>
        {
            var parts = CompositeParts(c);
            return c.OfType(MetricAlarm).Where(a => V.Items(a["alarmActions"]).Count == 0 && !parts.Contains(a.Name))
                .Concat(c.OfType(CompositeAlarm).Where(a => V.Items(a["alarmActions"]).Count == 0))
                .Select(a => a.Violation("has no ALARM action: it changes state and nobody hears of it.", "set alarmActions: [${monitoring-alarms.arn}]"));
        }),

        new("CloudWatch.17", Severity.High, "Alarm actions are not disabled (actionsEnabled is not false).", Rule.Mandatory, c =>
            c.OfType(MetricAlarm).Concat(c.OfType(CompositeAlarm)).Where(a => V.IsFalse(a["actionsEnabled"]))
                .Select(a => a.Violation("has its actions disabled.", "remove actionsEnabled: false"))),
    ];
}
