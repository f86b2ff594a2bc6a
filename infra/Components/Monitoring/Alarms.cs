using System.Globalization;
using Platform.Infra.Aws;
using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Model;

namespace Platform.Infra.Components;

/// <summary>
/// How an alarm evaluates: <paramref name="Datapoints"/> of the last <paramref name="Evaluations"/> periods of
/// <paramref name="Period"/> seconds beyond the threshold, and what missing data means (CloudWatch user guide,
/// "Configuring how CloudWatch alarms treat missing data"): <c>notBreaching</c> where no data means no traffic (a
/// healthy quiet service), <c>breaching</c> where the resource always reports and silence means it is gone.
/// </summary>
public sealed record Evaluation(int Period, int Evaluations, int Datapoints, string Comparison, string TreatMissingData)
{
    public const string Above = "GreaterThanThreshold";
    public const string AtLeast = "GreaterThanOrEqualToThreshold";
    public const string Below = "LessThanThreshold";
    public const string NotBreaching = "notBreaching";
    public const string Breaching = "breaching";
}

/// <summary>
/// The one way the monitoring component creates alarms: named <c>&lt;project&gt;-&lt;stack&gt;-monitoring-&lt;role&gt;</c>
/// (unique per account and region, at most 255 characters), notifying <see cref="Topic"/> on ALARM and on OK.
/// </summary>
public sealed class Alarms(ComponentScope scope, Output<string> topic, string? region = null)
{
    /// <summary>CloudWatch alarm names: at most 255 characters (CloudWatch API reference, PutMetricAlarm: AlarmName).</summary>
    public const int NameLength = 255;

    public Output<string> Topic { get; } = topic;

    /// <summary>The region the alarms are created in, when not the stack's (CloudFront's metrics live in us-east-1).</summary>
    public string? Region { get; } = region;

    /// <summary>An alarm on one metric's statistic (a percentile such as <c>p99</c> goes in extendedStatistic).</summary>
    public MetricAlarm Metric(string role, string description, Metric metric, string statistic, double threshold, Evaluation e) =>
        scope.Add(role, Base(role, description, threshold, e, notify: true) with
        {
            Namespace = metric.Namespace,
            MetricName = metric.Name,
            Dimensions = metric.DimensionMap(),
            Statistic = Input<string>.Optional(statistic.StartsWith('p') ? null : statistic),
            ExtendedStatistic = Input<string>.Optional(statistic.StartsWith('p') ? statistic : null),
            Period = e.Period,
        });

    /// <summary>
    /// An alarm on a metric-math expression over <paramref name="metrics"/> (ids m1, m2, ...): CloudWatch allows up to
    /// 10 metrics per alarm, and exactly one query returns data, the expression (CloudWatch user guide, "Create a
    /// CloudWatch alarm based on a metric math expression").
    /// </summary>
    /// <param name="notify">False for the parts of a composite alarm: the composite notifies.</param>
    public MetricAlarm Math(string role, string description, string expression, IReadOnlyList<(Metric Metric, string Stat)> metrics, double threshold, Evaluation e, bool notify = true)
    {
        if (metrics.Count is 0 or > 10) throw new ArgumentException("A metric math alarm takes 1 to 10 metrics.", nameof(metrics));
        var queries = metrics.Select((m, i) => new MetricAlarmMetricQuery
        {
            Id = $"m{i + 1}",
            ReturnData = false,
            Metric = new MetricAlarmMetricQueryMetric
            {
                Namespace = m.Metric.Namespace,
                MetricName = m.Metric.Name,
                Dimensions = m.Metric.DimensionMap(),
                Period = e.Period,
                Stat = m.Stat,
            },
        }).Append(new MetricAlarmMetricQuery { Id = "e1", Expression = expression, ReturnData = true }).ToList();
        return scope.Add(role, Base(role, description, threshold, e, notify) with { MetricQueries = queries });
    }

    /// <summary>A composite alarm: ALARM when every one of <paramref name="all"/> is in ALARM.</summary>
    public CompositeAlarm AllOf(string role, string description, IReadOnlyList<MetricAlarm> all) =>
        scope.Add(role, new CompositeAlarmArgs
        {
            AlarmName = Name(role),
            AlarmDescription = description,
            AlarmRule = Output.Join(" AND ", all.Select(a => Output.Format($"ALARM(\"{a.Arn}\")"))),
            ActionsEnabled = true,
            AlarmActions = [Topic],
            OkActions = [Topic],
            Region = Input<string>.Optional(Region),
        });

    public string Name(string role) => ComponentScope.Shorten(scope.PhysicalName(role), NameLength);

    private MetricAlarmArgs Base(string role, string description, double threshold, Evaluation e, bool notify) => new()
    {
        Name = Name(role),
        AlarmDescription = description,
        ComparisonOperator = e.Comparison,
        Threshold = threshold,
        EvaluationPeriods = e.Evaluations,
        DatapointsToAlarm = e.Datapoints,
        TreatMissingData = e.TreatMissingData,
        ActionsEnabled = true,
        AlarmActions = notify ? [Topic] : null,
        OkActions = notify ? [Topic] : null,
        Region = Input<string>.Optional(Region),
    };

    internal static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
