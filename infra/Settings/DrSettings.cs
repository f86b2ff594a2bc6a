using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>How recovery points of the primary vault are kept from deletion (AWS Backup developer guide, "AWS Backup Vault Lock").</summary>
public enum VaultLockMode
{
    /// <summary>No vault lock: anyone with the IAM permission may delete recovery points.</summary>
    Off,

    /// <summary>
    /// Governance mode (no <c>changeableForDays</c>): recovery points cannot be deleted before the minimum retention,
    /// but a principal with <c>backup:DeleteBackupVaultLockConfiguration</c> can remove the lock. Reversible.
    /// </summary>
    Governance,

    /// <summary>
    /// Compliance mode (<c>changeableForDays</c> set): after that grace time the lock can never be changed or removed,
    /// by anyone, the root user and AWS included; the vault cannot be deleted while it holds recovery points. Irreversible.
    /// </summary>
    Compliance,
}

/// <summary>The vault lock of the primary vault.</summary>
/// <param name="ChangeableForDays">Compliance mode only: the grace time (at least 3 days) before the lock becomes immutable.</param>
public sealed record VaultLock(VaultLockMode Mode, int? ChangeableForDays);

/// <summary>The automated restore drills (AWS Backup restore testing).</summary>
/// <param name="Schedule">When a drill starts: an EventBridge <c>cron(...)</c> expression in UTC.</param>
/// <param name="StartWindowHours">Hours after the scheduled time within which the restore jobs must start (1-168).</param>
/// <param name="ValidationWindowHours">Hours a restored resource is kept for validation before AWS Backup deletes it (1-168).</param>
/// <param name="LookbackDays">Recovery points of the last n days are candidates; the drill restores the latest (LATEST_WITHIN_WINDOW).</param>
public sealed record RestoreDrills(string Schedule, int StartWindowHours, int ValidationWindowHours, int LookbackDays);

/// <summary>
/// The stack's data resilience (<c>platform:dr</c>): recovery objectives as data, the region recovery copies go to, how
/// long they are kept, and the restore drills that prove them. Absent, the stack has no DR (a throw-away stage).
/// </summary>
/// <param name="Region">The DR region: backups are copied and the secure stores replicated there.</param>
/// <param name="RpoHours">Recovery point objective: the most data (in hours of writes) a disaster may lose.</param>
/// <param name="RtoHours">Recovery time objective: how long a restore may take; the drills measure it.</param>
/// <param name="RetentionDays">Days AWS Backup keeps recovery points, in the primary vault and in the DR copies.</param>
/// <param name="BackupFrequencyHours">Hours between backups: the largest supported frequency within the RPO, unless set.</param>
/// <param name="ReplicationTimeControl">S3 Replication Time Control on the secure stores' replication (99.99 % within 15 minutes).</param>
public sealed partial record DrSettings(
    string Region,
    int RpoHours,
    int RtoHours,
    int RetentionDays,
    int BackupFrequencyHours,
    VaultLock VaultLock,
    bool ReplicationTimeControl,
    RestoreDrills Drills)
{
    public const string Key = "platform:dr";

    /// <summary>
    /// The backup frequencies offered: whole divisors of a day, so that <c>cron(0 */n * * ? *)</c> runs at the same
    /// hours every day. AWS Backup's shortest scheduled frequency is one hour (AWS Backup developer guide, "Backup
    /// frequency"); anything tighter is point-in-time recovery, which RDS keeps anyway (5 minutes) within its region.
    /// </summary>
    public static readonly IReadOnlyList<int> Frequencies = [1, 2, 3, 4, 6, 8, 12, 24];

    /// <summary>The minimum grace time of a compliance-mode vault lock (AWS Backup API, PutBackupVaultLockConfiguration, ChangeableForDays).</summary>
    public const int MinChangeableForDays = 3;

    /// <summary>AWS Backup's range of a restore testing plan's start window and a selection's validation window (hours).</summary>
    public const int MaxWindowHours = 168;

    public const string DefaultDrillSchedule = "cron(0 5 ? * SUN *)";

    /// <summary>Discovery: every part on, so the template names every resource type a DR stack uses.</summary>
    public static readonly DrSettings Discovery = new("us-west-2", 24, 8, 35, 24, new VaultLock(VaultLockMode.Governance, null), true,
        new RestoreDrills(DefaultDrillSchedule, 8, 24, 7));

    /// <summary>The largest offered frequency that still meets the RPO (a backup at least every <paramref name="rpoHours"/>).</summary>
    public static int FrequencyFor(int rpoHours) => Frequencies.Last(f => f <= rpoHours);

    /// <summary>The backup rule's schedule: every <see cref="BackupFrequencyHours"/> hours, on the hour, UTC.</summary>
    public string BackupSchedule => BackupFrequencyHours == 24 ? "cron(0 3 * * ? *)" : $"cron(0 */{BackupFrequencyHours} * * ? *)";

    internal static DrSettings? Read(ConfigReader reader, string project, string stack, AwsSettings? aws, StageProfile? profile, IReadOnlyList<ServiceSettings> services)
    {
        var json = reader.Json(Key, required: false, "see docs/configuration.md, \"platform:dr\"");
        if (json is null) return null;
        var o = new ObjectReader(reader, Key, json);
        var region = o.String("region", null, "eu-central-1");
        if (region is not null && aws is not null)
        {
            if (!AwsSettings.Regions.Contains(region, StringComparer.Ordinal))
                o.Fail("region", $"'{MessageMask.Shorten(region)}' is not an AWS region the pinned provider knows.",
                    ConfigFix.Set(o.Path("region"), ConfigReader.Closest(region, AwsSettings.Regions) ?? "eu-central-1"));
            else if (region == aws.Region)
                o.Fail("region", $"is the stack's own region ({aws.Region}): a copy in the same region does not survive a regional event.",
                    ConfigFix.Set(o.Path("region"), Suggest(aws)));
            else if (new AwsSettings(region, aws.AllowedAccountIds, [], aws.DefaultTags).Partition != aws.Partition)
                o.Fail("region", $"'{region}' is in another partition than {aws.Region}: AWS Backup and S3 cannot copy across partitions.",
                    ConfigFix.Set(o.Path("region"), Suggest(aws)));
        }

        var rpo = o.Int("rpoHours", null, 1, 168, "hours of writes a disaster may lose");
        var rto = o.Int("rtoHours", null, 1, 168, "hours a restore may take");
        var retention = o.Int("retentionDays", 35, 1, 36500, "days recovery points are kept");
        var frequency = o.Int("backupFrequencyHours", rpo is { } r ? FrequencyFor(r) : 24, 1, 24, "hours between backups");
        if (o.Element("backupFrequencyHours") is not null && frequency is { } f)
        {
            if (!Frequencies.Contains(f))
                o.Fail("backupFrequencyHours", $"{f} does not divide a day into equal parts ({string.Join(", ", Frequencies)}).",
                    ConfigFix.Set(o.Path("backupFrequencyHours"), Frequencies.Last(x => x <= f)));
            else if (rpo is { } rp && f > rp)
                o.Fail("backupFrequencyHours", $"a backup every {f} h cannot meet an RPO of {rp} h: up to {f} h of writes would be lost.",
                    ConfigFix.Set(o.Path("backupFrequencyHours"), FrequencyFor(rp)));
        }
        if (retention is { } days && rpo is { } rpoHours && days * 24 < rpoHours)
            o.Fail("retentionDays", $"{days} day(s) is shorter than the RPO of {rpoHours} h: the newest recovery point could expire before the next one exists.",
                ConfigFix.Set(o.Path("retentionDays"), (rpoHours + 23) / 24));

        var vaultLock = ReadVaultLock(o.Object("vaultLock"), profile, retention);
        var rtc = o.Bool("replicationTimeControl", false)!.Value;

        var d = o.Object("drills");
        var schedule = d.Matching("schedule", DefaultDrillSchedule, CronRule(), "is not an EventBridge cron expression like cron(0 5 ? * SUN *).", DefaultDrillSchedule);
        var start = d.Int("startWindowHours", 8, 1, MaxWindowHours, "hours after the schedule within which the restore must start");
        var validation = d.Int("validationWindowHours", 24, 1, MaxWindowHours, "hours the restored copy is kept for validation");
        var lookback = d.Int("lookbackDays", 7, 1, 365, "days of recovery points a drill picks the latest from");
        if (lookback is { } lb && retention is { } keep && lb > keep)
            d.Fail("lookbackDays", $"{lb} day(s) is longer than the {keep} day(s) recovery points are kept.", ConfigFix.Set(d.Path("lookbackDays"), keep));
        d.RejectUnknown();

        if (aws is not null && region is not null)
            foreach (var service in services)
                foreach (var store in service.Stores.Where(s => s.Kind == StoreKind.SecureStore))
                {
                    var name = ReplicaBucketName(project, stack, service.Name, store.Name, aws.AccountId);
                    if (BucketNames.Problems(name) is { Count: > 0 } problems)
                        reader.Add(Key, $"the replica bucket of {service.Name}/{store.Name} cannot be named {name}: {string.Join("; ", problems)}.",
                            $"shorten the store's name in {ServiceSettings.Key}.{service.Name}.stores (its replica adds '-dr')");
                }
        o.RejectUnknown();
        if (region is null || rpo is null || rto is null || retention is null || frequency is null || vaultLock is null || schedule is null || start is null || validation is null || lookback is null)
            return null;
        return new DrSettings(region, rpo.Value, rto.Value, retention.Value, frequency.Value, vaultLock, rtc,
            new RestoreDrills(schedule, start.Value, validation.Value, lookback.Value));
    }

    /// <summary>The replica bucket of a secure store: the store's bucket name with <c>-dr</c> after the store's name.</summary>
    public static string ReplicaBucketName(string project, string stack, string service, string store, string accountId) =>
        BucketNames.Compose(project, stack, service, $"{store}-dr", accountId);

    private static VaultLock? ReadVaultLock(ObjectReader o, StageProfile? profile, int? retention)
    {
        // Where data is kept, recovery points are locked by default; a throw-away stage has no lock unless it asks.
        var fallback = profile is { DisposableData: false } ? "governance" : "off";
        var mode = o.Choice("mode", fallback, ["off", "governance", "compliance"]);
        var changeable = o.Element("changeableForDays") is null ? null
            : o.Int("changeableForDays", null, MinChangeableForDays, 36500, "days before a compliance lock becomes immutable");
        o.RejectUnknown();
        if (mode is null) return null;
        var parsed = Enum.Parse<VaultLockMode>(mode, ignoreCase: true);
        if (parsed == VaultLockMode.Compliance && o.Element("changeableForDays") is null)
            o.Fail("changeableForDays", "is required in compliance mode: it is the grace time after which the lock can never be removed (not even by AWS).",
                ConfigFix.Set(o.Path("changeableForDays"), MinChangeableForDays));
        if (parsed != VaultLockMode.Compliance && changeable is not null)
            o.Fail("changeableForDays", $"applies to compliance mode only; with mode {mode} it would silently turn the lock into an irreversible compliance lock.",
                $"remove {o.Path("changeableForDays")}, or set {o.Path("mode")} to compliance if an immutable lock is intended (docs/dr.md)");
        if (profile is { DisposableData: false } && parsed == VaultLockMode.Off)
            o.Fail("mode", "cannot be off where data is kept (platform:profile.disposableData is false): anyone with the IAM permission could delete every recovery point.",
                ConfigFix.Set(o.Path("mode"), "governance"));
        return new VaultLock(parsed, parsed == VaultLockMode.Compliance ? changeable : null);
    }

    /// <summary>A DR region to suggest: a neighbour of the stack's region in its partition.</summary>
    private static string Suggest(AwsSettings aws) => aws.Region switch
    {
        "eu-central-1" => "eu-west-1",
        var r when r.StartsWith("eu-", StringComparison.Ordinal) => "eu-central-1",
        "us-east-1" => "us-west-2",
        var r when r.StartsWith("us-gov-", StringComparison.Ordinal) => r == "us-gov-west-1" ? "us-gov-east-1" : "us-gov-west-1",
        var r when r.StartsWith("cn-", StringComparison.Ordinal) => r == "cn-north-1" ? "cn-northwest-1" : "cn-north-1",
        _ => "us-east-1",
    };

    [GeneratedRegex(@"^cron\(\S+( \S+){5}\)$")]
    private static partial Regex CronRule();
}
