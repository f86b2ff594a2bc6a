using System.Globalization;
using Platform.Infra.Aws;
using Platform.Infra.Aws.Budgets;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components.Baseline;

/// <summary>
/// The account's monthly cost budget: alerts at the settings' percentages of the limit, on actual or forecasted cost,
/// to the stack's alarm topic and the configured addresses. The alarm topic admits <c>budgets.amazonaws.com</c> in its
/// topic and key policies (<see cref="AlarmTopic"/>; AWS Cost Management user guide, "Creating an Amazon SNS topic for
/// budget notifications"). AWS Budgets is global: the budget has no Region.
/// </summary>
public static class CostBudget
{
    /// <remarks>The budget waits for the topic's policy, so that its first notification finds Budgets admitted.</remarks>
    public static Budget Create(ComponentScope scope, BudgetSettings budget, AlarmTopic alarmTopic) => scope.Add("budget", new BudgetArgs
    {
        Name = scope.PhysicalName("monthly-cost"),
        BudgetType = "COST",
        TimeUnit = "MONTHLY",
        LimitAmount = budget.LimitUsd.ToString("0.##", CultureInfo.InvariantCulture),
        LimitUnit = "USD",
        Notifications = [.. budget.Thresholds.Select(t => new BudgetNotification
        {
            ComparisonOperator = "GREATER_THAN",
            Threshold = t.Percent,
            ThresholdType = "PERCENTAGE",
            NotificationType = t.Type == BudgetThreshold.Forecasted ? "FORECASTED" : "ACTUAL",
            SubscriberSnsTopicArns = [alarmTopic.Arn],
            SubscriberEmailAddresses = budget.Emails.Count == 0 ? null : [.. budget.Emails],
        })],
    }, new ResourceOptions { DependsOn = [alarmTopic.Policy] });
}
