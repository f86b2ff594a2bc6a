using Platform.Infra.Settings;
using Platform.Infra.Tests.Support;

namespace Platform.Infra.Tests;

public partial class BaselineTests
{
    [Fact]
    public void Bad_baseline_settings_are_refused_all_at_once_with_the_key_and_the_fix()
    {
        var problems = TestStacks.Problems(c => c[BaselineSettings.Key] = """
            {"enabled": true, "config": "exsiting", "passwordPolicy": {"minimumLength": 8},
             "audit": {"transitionAfterDays": 400, "expireAfterDays": 365, "objectLockDays": 30},
             "budget": {"limitUsd": 0, "thresholds": [{"percent": 1500, "type": "actual"}, {"percent": 80, "type": "forcasted"}], "emails": ["finance-at-example.com"]},
             "guardDutyFrequency": "ONE_HOUR"}
            """);
        Assert.Equal(
        [
            "platform:baseline.audit.expireAfterDays",
            "platform:baseline.audit.objectLockDays",
            "platform:baseline.budget.emails[0]",
            "platform:baseline.budget.limitUsd",
            "platform:baseline.budget.thresholds[0].percent",
            "platform:baseline.budget.thresholds[1].type",
            "platform:baseline.config",
            "platform:baseline.guardDutyFrequency",
            "platform:baseline.passwordPolicy.minimumLength",
        ], problems.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.EndsWith("fix: pulumi config set --path 'platform:baseline.config' existing --stack test",
            problems.Single(p => p.Key == "platform:baseline.config").Format("test"));
        Assert.Contains("must be more than 0", problems.Single(p => p.Key == "platform:baseline.budget.limitUsd").Problem);
        Assert.Contains("from 1 to 1000", problems.Single(p => p.Key == "platform:baseline.budget.thresholds[0].percent").Problem);
        Assert.Contains("from 14 to 128", problems.Single(p => p.Key == "platform:baseline.passwordPolicy.minimumLength").Problem);
        Assert.Contains("objectLock is not true", problems.Single(p => p.Key == "platform:baseline.audit.objectLockDays").Problem);
        Assert.Contains("not an email address", problems.Single(p => p.Key == "platform:baseline.budget.emails[0]").Problem);
        Assert.Contains("guardDutyFindingFrequency", problems.Single(p => p.Key == "platform:baseline.guardDutyFrequency").Fix);
    }

    [Fact]
    public void A_budget_without_a_limit_is_refused()
    {
        var problems = TestStacks.Problems(c => c[BaselineSettings.Key] = """{"enabled": true, "budget": {"emails": ["finance@example.com"]}}""");
        var problem = Assert.Single(problems);
        Assert.Equal("platform:baseline.budget.limitUsd", problem.Key);
        Assert.Contains("pulumi config set --path 'platform:baseline.budget.limitUsd' 100", problem.Format("test"));
    }
}
