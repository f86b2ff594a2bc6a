using System.Globalization;
using System.Text.Json;

namespace Platform.Infra.Settings;

/// <summary>
/// The account-wide security baseline (<c>platform:baseline</c>): CloudTrail, AWS Config, GuardDuty, Security Hub with
/// FSBP, IAM Access Analyzer, the S3 account public access block, EBS encryption by default, the IAM password policy
/// and a cost budget. These are account (and region) singletons, so exactly one stack per account carries them; the
/// console's plan and promote refuse a rollout where an account has none or two. Off unless a stack claims the account
/// with <c>enabled: true</c>: claiming account singletons is a deliberate act, never a side effect of a new stack.
/// </summary>
/// <param name="Enabled">Whether this stack carries its account's baseline.</param>
/// <param name="CloudTrail">Build the multi-Region trail; false when an organization trail already records this account.</param>
/// <param name="Config">Build the AWS Config recorder; false when Control Tower or another recorder already records (one per Region).</param>
/// <param name="GuardDuty">Build the GuardDuty detector; false when one exists and is not imported.</param>
/// <param name="SecurityHub">Enable Security Hub with FSBP; false when it is enabled by the organization.</param>
/// <param name="AccessAnalyzer">An account IAM Access Analyzer.</param>
/// <param name="S3PublicAccessBlock">The S3 account-level public access block (S3.1).</param>
/// <param name="EbsEncryptionByDefault">EBS encryption by default in the stack's Region (EC2.7).</param>
/// <param name="PasswordPolicy">The IAM account password policy (IAM.7); null leaves the account's as it is.</param>
/// <param name="Audit">The audit bucket of the trail and of AWS Config.</param>
/// <param name="FindingFrequency">How often GuardDuty publishes updated findings to EventBridge and Security Hub.</param>
/// <param name="Budget">The monthly cost budget; null when none is set.</param>
public sealed record BaselineSettings(
    bool Enabled,
    bool CloudTrail,
    bool Config,
    bool GuardDuty,
    bool SecurityHub,
    bool AccessAnalyzer,
    bool S3PublicAccessBlock,
    bool EbsEncryptionByDefault,
    PasswordPolicySettings? PasswordPolicy,
    AuditBucketSettings Audit,
    string FindingFrequency,
    BudgetSettings? Budget)
{
    public const string Key = "platform:baseline";

    public const string Create = "create";
    public const string Existing = "existing";
    public const string Organization = "organization";

    /// <summary>GuardDuty's finding publishing frequencies (GuardDuty API reference, "UpdateDetector").</summary>
    public static readonly IReadOnlyList<string> FindingFrequencies = ["SIX_HOURS", "ONE_HOUR", "FIFTEEN_MINUTES"];

    /// <summary>A stack that does not carry the baseline.</summary>
    public static readonly BaselineSettings Off = new(false, true, true, true, true, true, true, true, PasswordPolicySettings.Default, AuditBucketSettings.Default, "SIX_HOURS", null);

    /// <summary>Every part on (plugin discovery: every resource type a stack can use), with a budget to the alarm topic and an email.</summary>
    public static BaselineSettings Discovery => Off with
    {
        Enabled = true,
        Audit = AuditBucketSettings.Default with { ObjectLock = true, S3DataEvents = true },
        Budget = new BudgetSettings(100, BudgetSettings.DefaultThresholds, ["discovery@example.com"]),
    };

    /// <summary>
    /// Whether the stack creates AWS Config's service-linked role (<c>AWSServiceRoleForConfig</c>), which the recorder uses
    /// (Config.1 requires it); false where the account already has it (AWS Config or Control Tower was ever set up there).
    /// </summary>
    public bool ConfigServiceLinkedRole { get; init; } = true;

    /// <summary>Whether the stack builds the audit bucket: the trail or the Config recorder delivers to it.</summary>
    public bool HasAuditBucket => Enabled && (CloudTrail || Config);

    /// <summary>
    /// Whether a stack's config (PULUMI_CONFIG's shape) claims its account's baseline: a platform stack with
    /// <c>platform:baseline.enabled: true</c>. A bootstrap stack never does. Problems in the setting are the compile's to
    /// report; here they read as "not claimed".
    /// </summary>
    public static bool Claimed(IReadOnlyDictionary<string, string> config)
    {
        var reader = new ConfigReader(config);
        return !reader.Has(BootstrapSettings.Key) && Read(reader).Enabled;
    }

    internal static BaselineSettings Read(ConfigReader reader)
    {
        var o = new ObjectReader(reader, Key, reader.Json(Key, required: false, "see docs/configuration.md, \"platform:baseline\""));
        var enabled = o.Bool("enabled", false)!.Value;
        var trail = o.Choice("cloudTrail", Create, [Create, Organization])! == Create;
        var config = o.Choice("config", Create, [Create, Existing])! == Create;
        var configRole = o.Choice("configServiceLinkedRole", Create, [Create, Existing])! == Create;
        var guardDuty = o.Choice("guardDuty", Create, [Create, Existing])! == Create;
        var securityHub = o.Choice("securityHub", Create, [Create, Existing])! == Create;
        var analyzer = o.Bool("accessAnalyzer", true)!.Value;
        var bpa = o.Bool("s3PublicAccessBlock", true)!.Value;
        var ebs = o.Bool("ebsEncryptionByDefault", true)!.Value;
        var password = PasswordPolicySettings.Read(o);
        var audit = AuditBucketSettings.Read(reader, o.Object("audit"));
        var frequency = o.Choice("guardDutyFindingFrequency", "SIX_HOURS", FindingFrequencies)!;
        var budget = BudgetSettings.Read(reader, o);
        o.RejectUnknown();
        return new BaselineSettings(enabled, trail, config, guardDuty, securityHub, analyzer, bpa, ebs, password, audit, frequency, budget)
        {
            ConfigServiceLinkedRole = configRole,
        };
    }
}

/// <summary>
/// The IAM account password policy: FSBP IAM.7 / CIS parameters at least (14 characters, upper, lower, numbers, symbols,
/// no reuse of the last 24). Weaker values are refused.
/// </summary>
/// <param name="MinimumLength">Minimum password length, 14 to 128.</param>
/// <param name="MaxAgeDays">Days a password is valid, 1 to 1095 (IAM's range).</param>
public sealed record PasswordPolicySettings(int MinimumLength, int MaxAgeDays)
{
    public const int FsbpMinimumLength = 14;
    public const int ReusePrevention = 24;

    public static readonly PasswordPolicySettings Default = new(FsbpMinimumLength, 90);

    internal static PasswordPolicySettings? Read(ObjectReader baseline)
    {
        if (baseline.Element("passwordPolicy") is { ValueKind: JsonValueKind.False }) return null;
        var o = baseline.Object("passwordPolicy");
        var length = o.Int("minimumLength", Default.MinimumLength, FsbpMinimumLength, 128, $"FSBP IAM.7 and CIS ask for at least {FsbpMinimumLength}")!.Value;
        var age = o.Int("maxAgeDays", Default.MaxAgeDays, 1, 1095, "days before a password must be changed")!.Value;
        o.RejectUnknown();
        return new PasswordPolicySettings(length, age);
    }
}

/// <summary>
/// The audit bucket: CloudTrail logs and AWS Config history, moved to S3 Glacier Flexible Retrieval after
/// <paramref name="TransitionAfterDays"/> and deleted after <paramref name="ExpireAfterDays"/>; optionally under S3 Object
/// Lock, so that nobody (in COMPLIANCE mode, not even the root user) can delete a log before its retention ends.
/// </summary>
public sealed record AuditBucketSettings(int TransitionAfterDays, int ExpireAfterDays, bool ObjectLock, string ObjectLockMode, int ObjectLockDays, bool S3DataEvents)
{
    public static readonly IReadOnlyList<string> LockModes = ["GOVERNANCE", "COMPLIANCE"];

    /// <summary>90 days at hand, seven years in all (a common audit retention), locked for a year when locked.</summary>
    public static readonly AuditBucketSettings Default = new(90, 2557, false, "GOVERNANCE", 365, false);

    internal static AuditBucketSettings Read(ConfigReader reader, ObjectReader o)
    {
        var transition = o.Int("transitionAfterDays", Default.TransitionAfterDays, 1, 36500, "days before logs move to S3 Glacier Flexible Retrieval")!.Value;
        var expire = o.Int("expireAfterDays", Default.ExpireAfterDays, 1, 36500, "days logs are kept")!.Value;
        var lockSet = o.Element("objectLockDays") is not null || o.Element("objectLockMode") is not null;
        var objectLock = o.Bool("objectLock", false)!.Value;
        var mode = o.Choice("objectLockMode", Default.ObjectLockMode, LockModes)!;
        var days = o.Int("objectLockDays", Default.ObjectLockDays, 1, 36500, "days each log version cannot be deleted")!.Value;
        var dataEvents = o.Bool("s3DataEvents", false)!.Value;
        if (expire <= transition)
            reader.Add(o.Path("expireAfterDays"), $"{expire} is not after transitionAfterDays ({transition}): logs would expire before or when they move to Glacier.",
                ConfigFix.Set(o.Path("expireAfterDays"), Math.Max(transition + 1, Default.ExpireAfterDays)));
        if (lockSet && !objectLock)
            reader.Add(o.Path("objectLockDays"), "an Object Lock retention is set, but objectLock is not true: the retention would do nothing.",
                ConfigFix.Set(o.Path("objectLock"), "true"));
        if (objectLock && days > expire)
            reader.Add(o.Path("objectLockDays"), $"{days} is longer than expireAfterDays ({expire}): S3 could not delete a log when it expires.",
                ConfigFix.Set(o.Path("objectLockDays"), expire));
        o.RejectUnknown();
        return new AuditBucketSettings(transition, expire, objectLock, mode, days, dataEvents);
    }
}

/// <summary>A monthly cost budget of the account with alerts at percentages of its limit.</summary>
/// <param name="LimitUsd">The monthly limit in USD, more than 0.</param>
/// <param name="Thresholds">When to alert: a percentage of the limit, on actual or forecasted cost.</param>
/// <param name="Emails">Addresses AWS Budgets mails besides the stack's alarm topic.</param>
public sealed record BudgetSettings(double LimitUsd, IReadOnlyList<BudgetThreshold> Thresholds, IReadOnlyList<string> Emails)
{
    /// <summary>AWS Budgets: five notifications per budget, ten email subscribers per notification (AWS Cost Management user guide, "Quotas and restrictions").</summary>
    public const int MaxNotifications = 5;

    public const int MaxEmails = 10;

    public static readonly IReadOnlyList<BudgetThreshold> DefaultThresholds = [new(80, BudgetThreshold.Forecasted), new(100, BudgetThreshold.Actual)];

    internal static BudgetSettings? Read(ConfigReader reader, ObjectReader baseline)
    {
        if (baseline.Element("budget") is null) return null;
        var o = baseline.Object("budget");
        var limit = o.Number("limitUsd", null, 0, 1e9, "the monthly cost limit in USD");
        if (limit is null && o.Present && o.Element("limitUsd") is null)
            o.Fail("limitUsd", "is required: a budget needs a monthly limit.", ConfigFix.Set(o.Path("limitUsd"), "100"));
        else if (limit is <= 0)
            o.Fail("limitUsd", "must be more than 0: a budget of 0 USD alerts on every cent.", ConfigFix.Set(o.Path("limitUsd"), "100"));
        var thresholds = ReadThresholds(reader, o);
        var emails = o.Strings("emails", "[finance@example.com]") ?? [];
        for (var i = 0; i < emails.Count; i++)
            if (!TextRules.Email().IsMatch(emails[i]))
                reader.Add($"{o.Path("emails")}[{i}]", $"'{MessageMask.Shorten(emails[i])}' is not an email address.", ConfigFix.Set($"{o.Path("emails")}[{i}]", "finance@example.com"));
        if (emails.Count > MaxEmails)
            o.Fail("emails", $"{emails.Count} addresses: AWS Budgets mails at most {MaxEmails} per notification.", $"list at most {MaxEmails} addresses, or subscribe a mailing list");
        o.RejectUnknown();
        return new BudgetSettings(limit ?? 0, thresholds, emails);
    }

    private static IReadOnlyList<BudgetThreshold> ReadThresholds(ConfigReader reader, ObjectReader o)
    {
        var path = o.Path("thresholds");
        if (o.Element("thresholds") is not { } element) return DefaultThresholds;
        if (element.ValueKind != JsonValueKind.Array)
        {
            reader.Add(path, "must be a list.", $"write it as a YAML list in Pulumi.{{stack}}.yaml, e.g. [{{percent: 80, type: forecasted}}, {{percent: 100, type: actual}}]");
            return DefaultThresholds;
        }
        var list = new List<BudgetThreshold>();
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            var t = new ObjectReader(reader, $"{path}[{i++}]", item);
            var percent = t.Number("percent", null, 1, 1000, "percent of the limit");
            if (percent is null && t.Element("percent") is null) t.Fail("percent", "is required.", ConfigFix.Set(t.Path("percent"), "80"));
            var type = t.Choice("type", BudgetThreshold.Actual, [BudgetThreshold.Actual, BudgetThreshold.Forecasted])!;
            t.RejectUnknown();
            if (percent is { } p) list.Add(new BudgetThreshold(p, type));
        }
        if (list.Count > MaxNotifications)
            reader.Add(path, $"{list.Count} thresholds: AWS Budgets allows {MaxNotifications} notifications per budget.", $"keep at most {MaxNotifications} entries in {path}");
        foreach (var dup in list.GroupBy(t => t).Where(g => g.Count() > 1))
            reader.Add(path, $"{dup.Key.Percent.ToString(CultureInfo.InvariantCulture)} % {dup.Key.Type} is listed twice.", $"remove the second entry from {path}");
        return list;
    }
}

/// <summary>An alert at <paramref name="Percent"/> % of the budget's limit, on <c>actual</c> or <c>forecasted</c> cost.</summary>
public sealed record BudgetThreshold(double Percent, string Type)
{
    public const string Actual = "actual";
    public const string Forecasted = "forecasted";
}
