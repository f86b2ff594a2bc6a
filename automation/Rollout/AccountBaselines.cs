using Platform.Automation.Accounts;
using Platform.Automation.Stacks;
using Platform.Infra.Settings;

namespace Platform.Automation.Rollout;

/// <summary>
/// One baseline per account: the account's CloudTrail trail, Config recorder, GuardDuty detector, Security Hub and
/// account settings (<c>platform:baseline</c>) are singletons, so exactly one stack of the project per account carries
/// them. With none the account is unwatched; with two, the second stack's first <c>pulumi up</c> fails half-way (a
/// Region has one Config recorder) or both fight over the same settings. <c>plan</c> and <c>promote</c> check every
/// account their stacks deploy to, over all the project's stacks in it (a bootstrap project's stacks are another
/// project and not counted), before anything is compiled into a change.
/// </summary>
public static class AccountBaselines
{
    /// <summary>One message per account of <paramref name="stacks"/> that has no stack carrying the baseline, or more than one.</summary>
    public static IReadOnlyList<string> Problems(ProjectLayout layout, IEnumerable<string> stacks)
    {
        var all = layout.Stacks.Select(stack =>
        {
            var config = layout.ReadStack(stack);
            return (Stack: stack, Account: StackAwsAccess.From(config).AllowedAccountIds.FirstOrDefault(), Claims: BaselineSettings.Claimed(config.Values));
        }).Where(s => s.Account is not null).ToList();
        var involved = stacks.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var account in all.Where(s => involved.Contains(s.Stack)).Select(s => s.Account!).Distinct().Order(StringComparer.Ordinal))
        {
            var inAccount = all.Where(s => s.Account == account).Select(s => s.Stack).ToList();
            var claiming = all.Where(s => s.Account == account && s.Claims).Select(s => s.Stack).ToList();
            if (claiming.Count == 0)
                problems.Add($"account {account} (stacks {string.Join(", ", inAccount)}): no stack carries the baseline");
            else if (claiming.Count > 1)
                problems.Add($"account {account}: stacks {string.Join(", ", claiming)} all carry the baseline" +
                             (inAccount.Count > claiming.Count ? $" (stacks in the account: {string.Join(", ", inAccount)})" : ""));
        }
        return problems;
    }

    /// <summary>Bad input listing every problem <see cref="Problems"/> found, if any.</summary>
    public static void Refuse(IReadOnlyList<string> problems)
    {
        if (problems.Count == 0) return;
        throw new BadInputException($"{problems.Count} account{(problems.Count == 1 ? "" : "s")} without exactly one stack carrying {BaselineSettings.Key}; nothing was run:\n" +
                                    string.Join("\n", problems.Select(p => "  - " + p)),
            $"set {BaselineSettings.Key}.enabled: true in exactly one stack per account and false in the others " +
            "(pulumi config set --path 'platform:baseline.enabled' true --stack <stack>; docs/configuration.md, \"platform:baseline\")");
    }
}
