using Platform.Infra.Aws.CloudWatch;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// One pair of windows of a multi-window, multi-burn-rate alert (Google SRE workbook, "Alerting on SLOs", approach 6):
/// it fires when the error budget of 30 days burns <paramref name="BurnRate"/> times faster than sustainable over
/// both the long window and the short one (the short window makes the alert reset soon after the burn stops).
/// </summary>
public sealed record BurnWindow(string Name, int LongSeconds, int ShortSeconds, double BurnRate)
{
    /// <summary>2 % of a 30-day budget in one hour: page.</summary>
    public static readonly BurnWindow Fast = new("fast", 3600, 300, 14.4);

    /// <summary>5 % of a 30-day budget in six hours: page.</summary>
    public static readonly BurnWindow Slow = new("slow", 21600, 1800, 6);

    public static readonly IReadOnlyList<BurnWindow> All = [Fast, Slow];

    /// <summary>The bad-event ratio at which this window alerts for an objective of <paramref name="objectivePercent"/>.</summary>
    public double Threshold(double objectivePercent) => Math.Round(BurnRate * (100 - objectivePercent) / 100, 9);
}

/// <summary>
/// Each service's objectives as burn-rate alarms on its ALB metrics, computed with metric math:
/// <list type="bullet">
/// <item>availability: the share of requests its targets answer with 5xx, <c>HTTPCode_Target_5XX_Count / RequestCount</c>
/// (errors the load balancer itself returns, e.g. when no target is healthy, are the unhealthy-host alarm's);</item>
/// <item>latency: the share of requests slower than the threshold, <c>(100 - PR(:threshold)) / 100</c> of
/// TargetResponseTime, where the percentile rank PR(:t) is the percentage of requests answered within t seconds
/// (CloudWatch user guide, "Statistics definitions"). CloudWatch computes it from its percentile sketch of the
/// metric, so it is an approximation, close for the request volumes an SLO is meaningful for.</item>
/// </list>
/// Each window pair is two metric-math alarms (one per window, no actions) and a composite alarm that notifies when
/// both are in ALARM. An alarm's window is its period: CloudWatch evaluates the latest period-long bucket each
/// minute, so a window is the last hour (or six hours) as CloudWatch aggregates it.
/// </summary>
public static class Objectives
{
    public static void Create(Alarms alarms, IReadOnlyList<ServiceObjectives> objectives, IReadOnlyList<ServiceWatch> services)
    {
        foreach (var o in objectives)
        {
            if (services.FirstOrDefault(s => s.Name == o.Service) is not { } s) continue;
            foreach (var window in BurnWindow.All)
            {
                BurnAlarm(alarms, $"{s.Name}-slo-availability-{window.Name}", $"{s.Name}: availability objective {Alarms.Number(o.AvailabilityPercent)} %",
                    window, o.AvailabilityPercent, "FILL(m1, 0) / m2", [(Metrics.Alb("HTTPCode_Target_5XX_Count", s), "Sum"), (Metrics.Alb("RequestCount", s), "Sum")]);
                var t = Alarms.Number(o.Latency.ThresholdSeconds);
                BurnAlarm(alarms, $"{s.Name}-slo-latency-{window.Name}", $"{s.Name}: latency objective {Alarms.Number(o.Latency.Percent)} % within {t} s",
                    window, o.Latency.Percent, "(100 - m1) / 100", [(Metrics.Alb("TargetResponseTime", s), $"PR(:{t})")]);
            }
        }
    }

    private static CompositeAlarm BurnAlarm(Alarms alarms, string role, string objective, BurnWindow window, double percent, string expression, IReadOnlyList<(Metric, string)> metrics)
    {
        var threshold = window.Threshold(percent);
        var what = $"{objective}: error budget burning {Alarms.Number(window.BurnRate)}x";
        var evaluation = (int period) => new Evaluation(period, 1, 1, Evaluation.Above, Evaluation.NotBreaching);
        var longWindow = alarms.Math($"{role}-long", $"{what} over {window.LongSeconds / 60} min", expression, metrics, threshold, evaluation(window.LongSeconds), notify: false);
        var shortWindow = alarms.Math($"{role}-short", $"{what} over {window.ShortSeconds / 60} min", expression, metrics, threshold, evaluation(window.ShortSeconds), notify: false);
        return alarms.AllOf(role, $"{what} over both {window.LongSeconds / 60} and {window.ShortSeconds / 60} min (bad-request ratio above {Alarms.Number(threshold)})",
            [longWindow, shortWindow]);
    }
}
