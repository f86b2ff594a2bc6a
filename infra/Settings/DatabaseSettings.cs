using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>
/// The stack's relational database (<c>platform:database</c>): an RDS instance in the database subnets. Absent means
/// the stack has no database. Every default is the safe one; a stage relaxes it explicitly in its stack file.
/// </summary>
public sealed partial record DatabaseSettings(
    DatabaseEngine Engine,
    string Version,
    string InstanceClass,
    int AllocatedStorageGb,
    int MaxAllocatedStorageGb,
    bool MultiAz,
    bool DeletionProtection,
    int BackupRetentionDays,
    string BackupWindow,
    string MaintenanceWindow,
    bool PerformanceInsights,
    int PerformanceInsightsRetentionDays,
    int MonitoringIntervalSeconds,
    string DatabaseName,
    string MasterUsername)
{
    public const string Key = "platform:database";

    public static readonly IReadOnlyList<int> MonitoringIntervals = [0, 1, 5, 10, 15, 30, 60];

    /// <summary>Names RDS reserves or that every scanner tries first (RDS.25: not the engine default).</summary>
    public static readonly IReadOnlyList<string> DefaultUsernames = ["admin", "postgres", "root", "rdsadmin", "mysql", "master", "user"];

    public int Port => Engine.Port;

    /// <summary>The storage types offered: general purpose gp3 and provisioned IOPS io2 (Block Express).</summary>
    public static readonly IReadOnlyList<string> StorageTypes = ["gp3", "io2"];

    /// <summary>gp3 on RDS for MySQL and PostgreSQL takes provisioned IOPS and throughput from this size on.</summary>
    public const int Gp3ProvisionedFromGb = 400;

    /// <summary><c>gp3</c> or <c>io2</c>.</summary>
    public string StorageType { get; init; } = "gp3";

    /// <summary>Provisioned IOPS; null for gp3's baseline.</summary>
    public int? Iops { get; init; }

    /// <summary>gp3's provisioned throughput in MiB/s; null for its baseline.</summary>
    public int? StorageThroughput { get; init; }

    /// <summary>The settings plugin discovery uses: every feature on (Performance Insights, monitoring).</summary>
    public static DatabaseSettings Discovery => new(DatabaseEngine.Postgres, "18", "db.m7g.large", 20, 100, true, true, 30,
        "03:00-04:00", "sun:04:30-sun:05:30", true, 7, 60, "app", "app_admin");

    internal static DatabaseSettings? Read(ConfigReader reader, StageProfile? profile)
    {
        const string fix = "add platform:database: {engine: postgres, version: \"18\", instanceClass: db.t4g.micro} to Pulumi.{stack}.yaml";
        var json = reader.Json(Key, required: false, fix);
        if (json is null) return null;
        var o = new ObjectReader(reader, Key, json);
        if (!o.Present) return null;

        var engineName = o.Choice("engine", null, DatabaseEngine.All.Select(e => e.Name).ToArray());
        var engine = DatabaseEngine.All.FirstOrDefault(e => e.Name == engineName);
        var version = o.String("version", null, "\"18\"");
        if (engine is not null && version is not null && engine.ExtendedSupport.Contains(version, StringComparer.Ordinal))
            reader.Add(o.Path("version"), $"{engine.Name} {version} runs on RDS only in Extended Support, charged per vCPU-hour on top of the instance (supported: {string.Join(", ", engine.Versions)}).",
                $"{ConfigFix.Set(o.Path("version"), $"'{engine.Versions[0]}'")} (a new database; an existing one upgrades with a major version upgrade first)");
        else if (engine is not null && version is not null && !engine.Versions.Contains(version, StringComparer.Ordinal))
            reader.Add(o.Path("version"), $"'{version}' is not a supported {engine.Name} version (supported: {string.Join(", ", engine.Versions)}).",
                ConfigFix.Set(o.Path("version"), $"'{engine.Versions[0]}'"));

        var instanceClass = o.Matching("instanceClass", null, InstanceClassRule(), "is not an RDS instance class like db.t4g.micro, db.m7g.large or db.r6g.2xlarge.", "db.t4g.micro");

        var allocated = o.Int("allocatedStorageGb", 20, 20, 65536, "initial gp3 storage in GiB; gp3 starts at 20")!.Value;
        var maxAllocated = o.Int("maxAllocatedStorageGb", Math.Max(100, allocated * 2), 20, 65536, "storage autoscaling ceiling in GiB")!.Value;
        if (maxAllocated <= allocated)
            reader.Add(o.Path("maxAllocatedStorageGb"), $"{maxAllocated} must be larger than allocatedStorageGb ({allocated}) for storage to grow on demand.",
                ConfigFix.Set(o.Path("maxAllocatedStorageGb"), allocated * 2));

        var multiAz = o.Bool("multiAz", true)!.Value;
        var deletionProtection = o.Bool("deletionProtection", true)!.Value;
        var retention = o.Int("backupRetentionDays", 7, 0, 35, "days of automated backups; RDS.11 needs at least 7")!.Value;
        if (retention == 0 && profile is { Protect: true })
            reader.Add(o.Path("backupRetentionDays"), "is 0, which turns automated backups off, in a protected stage (RDS.11 needs at least 7 days).",
                ConfigFix.Set(o.Path("backupRetentionDays"), "7"));
        if (profile is { Protect: true } && !multiAz)
            reader.Add(o.Path("multiAz"), "is false in a protected stage (RDS.5): one AZ's outage would take the database down.",
                $"remove {o.Path("multiAz")} from Pulumi.{{stack}}.yaml (the default is true)");
        if (profile is { Protect: true } && !deletionProtection)
            reader.Add(o.Path("deletionProtection"), "is false in a protected stage (RDS.8).",
                $"remove {o.Path("deletionProtection")} from Pulumi.{{stack}}.yaml (the default is true)");

        var backupWindow = o.Matching("backupWindow", "03:00-04:00", BackupWindowRule(), "is not a daily UTC window hh24:mi-hh24:mi like 03:00-04:00.", "03:00-04:00");
        var maintenanceWindow = o.Matching("maintenanceWindow", "sun:04:30-sun:05:30", MaintenanceWindowRule(),
            "is not a weekly UTC window ddd:hh24:mi-ddd:hh24:mi like sun:04:30-sun:05:30.", "sun:04:30-sun:05:30");
        if (backupWindow is not null && maintenanceWindow is not null && Overlaps(backupWindow, maintenanceWindow))
            reader.Add(o.Path("maintenanceWindow"), $"'{maintenanceWindow}' overlaps the backup window '{backupWindow}' (RDS refuses overlapping windows).",
                $"move one of them, e.g. {ConfigFix.Set(o.Path("maintenanceWindow"), "sun:04:30-sun:05:30")}");

        var insights = o.Bool("performanceInsights", true)!.Value;
        var insightsRetention = o.Int("performanceInsightsRetentionDays", 7, 7, 731, "7 (free) or a multiple of 31 up to 731")!.Value;
        if (insightsRetention != 7 && insightsRetention != 731 && insightsRetention % 31 != 0)
            reader.Add(o.Path("performanceInsightsRetentionDays"), $"{insightsRetention} is not a retention Performance Insights accepts: 7, a multiple of 31 (months), or 731.",
                ConfigFix.Set(o.Path("performanceInsightsRetentionDays"), "7"));

        var monitoring = o.Int("monitoringIntervalSeconds", 60, 0, 60, "enhanced monitoring interval; 0 turns it off")!.Value;
        if (!MonitoringIntervals.Contains(monitoring))
            reader.Add(o.Path("monitoringIntervalSeconds"), $"{monitoring} is not an interval RDS accepts ({string.Join(", ", MonitoringIntervals)}).",
                ConfigFix.Set(o.Path("monitoringIntervalSeconds"), "60"));

        // RDS cannot create a read replica of an instance whose master password Secrets Manager manages (RDS user
        // guide, "Limitations for Secrets Manager integration with Amazon RDS"), and the platform always lets RDS
        // manage it so that no password is ever in a template: replicas are refused rather than failing in AWS.
        if (o.Int("readReplicas", 0, 0, 5, "read replicas in the same region") is > 0)
            reader.Add(o.Path("readReplicas"), "RDS cannot create a read replica of an instance whose master password it manages in Secrets Manager, which the platform always does.",
                $"remove {o.Path("readReplicas")} from Pulumi.{{stack}}.yaml; scale reads with a larger instanceClass for now");

        var name = o.Matching("databaseName", "app", DatabaseNameRule(), "is not a database name: 1-63 lower-case letters, digits or '_', starting with a letter.", "app");
        var username = o.Matching("masterUsername", "app_admin", UsernameRule(), "is not a master user name: 1-16 lower-case letters, digits or '_', starting with a letter.", "app_admin");
        if (username is not null && DefaultUsernames.Contains(username, StringComparer.Ordinal))
            reader.Add(o.Path("masterUsername"), $"'{username}' is an engine default or reserved name (RDS.25).",
                ConfigFix.Set(o.Path("masterUsername"), "app_admin"));

        var storage = ReadStorage(reader, o, allocated);

        o.RejectUnknown();
        if (engine is null || version is null || instanceClass is null || backupWindow is null || maintenanceWindow is null || name is null || username is null || storage is null)
            return null;
        return new DatabaseSettings(engine, version, instanceClass, allocated, maxAllocated, multiAz, deletionProtection, retention,
            backupWindow, maintenanceWindow, insights, insightsRetention, monitoring, name, username)
        {
            StorageType = storage.Value.Type,
            Iops = storage.Value.Iops,
            StorageThroughput = storage.Value.Throughput,
        };
    }

    /// <summary>
    /// Storage type and performance (RDS user guide, "Amazon RDS DB instance storage"). gp3 below 400 GiB runs at its
    /// baseline of 3,000 IOPS and 125 MiB/s and takes no provisioned values; from 400 GiB (MySQL, PostgreSQL) the
    /// baseline is 12,000 IOPS and 500 MiB/s, and up to 64,000 IOPS and 4,000 MiB/s may be provisioned, with at most
    /// 0.25 MiB/s per IOPS. io2 Block Express takes 100 GiB to 64 TiB and 1,000 to 256,000 IOPS, at most 1,000 IOPS
    /// per GiB, and no throughput setting (it follows the IOPS).
    /// </summary>
    private static (string Type, int? Iops, int? Throughput)? ReadStorage(ConfigReader reader, ObjectReader o, int allocated)
    {
        var type = o.Choice("storageType", "gp3", StorageTypes);
        var iops = o.Element("iops") is null ? null : o.Int("iops", null, 1000, 256_000, "provisioned IOPS: gp3 12000-64000 from 400 GiB, io2 1000-256000");
        var throughput = o.Element("storageThroughput") is null ? null : o.Int("storageThroughput", null, 125, 4000, "gp3 throughput in MiB/s, 500-4000 from 400 GiB");
        if (type is null) return null;
        var ok = true;
        void Fail(string field, string problem, string fix)
        {
            reader.Add(o.Path(field), problem, fix);
            ok = false;
        }
        if (type == "gp3")
        {
            if (allocated < Gp3ProvisionedFromGb && (iops is not null || throughput is not null))
                Fail(iops is not null ? "iops" : "storageThroughput", $"gp3 below {Gp3ProvisionedFromGb} GiB ({allocated} GiB here) runs at its baseline of 3000 IOPS and 125 MiB/s and takes no provisioned value.",
                    $"remove it, or {ConfigFix.Set(o.Path("allocatedStorageGb"), Gp3ProvisionedFromGb)}");
            else
            {
                if (iops is < 12_000 or > 64_000)
                    Fail("iops", $"{iops} is outside gp3's range from {Gp3ProvisionedFromGb} GiB: 12000 (the baseline) to 64000.", ConfigFix.Set(o.Path("iops"), Math.Clamp(iops!.Value, 12_000, 64_000)));
                if (throughput is < 500)
                    Fail("storageThroughput", $"{throughput} MiB/s is below gp3's baseline of 500 MiB/s from {Gp3ProvisionedFromGb} GiB.", ConfigFix.Set(o.Path("storageThroughput"), 500));
                if (throughput is { } t && t > (iops ?? 12_000) / 4)
                    Fail("storageThroughput", $"{t} MiB/s needs at least {t * 4} IOPS (gp3 allows 0.25 MiB/s per IOPS); iops is {iops ?? 12_000}.",
                        ConfigFix.Set(o.Path("iops"), Math.Min(64_000, t * 4)));
            }
        }
        else
        {
            if (throughput is not null)
                Fail("storageThroughput", "io2 takes no throughput setting: its throughput follows the provisioned IOPS.", $"remove {o.Path("storageThroughput")} from Pulumi.{{stack}}.yaml");
            if (iops is null)
                Fail("iops", "is required for io2 (provisioned IOPS SSD).", ConfigFix.Set(o.Path("iops"), Math.Clamp(allocated * 3, 1000, 256_000)));
            if (allocated < 100)
                Fail("allocatedStorageGb", $"{allocated} GiB is below io2's minimum of 100 GiB.", ConfigFix.Set(o.Path("allocatedStorageGb"), 100));
            else if (iops is { } i && i > allocated * 1000L)
                Fail("iops", $"{i} IOPS on {allocated} GiB exceeds io2's 1000 IOPS per GiB.", ConfigFix.Set(o.Path("iops"), allocated * 1000));
        }
        return ok ? (type, iops, throughput) : null;
    }

    /// <summary>Whether the daily backup window overlaps the weekly maintenance window on its day(s).</summary>
    private static bool Overlaps(string backup, string maintenance)
    {
        static int Minutes(string hhmm) => int.Parse(hhmm[..2], CultureInfo.InvariantCulture) * 60 + int.Parse(hhmm[3..5], CultureInfo.InvariantCulture);
        string[] days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        const int week = 7 * 1440;
        var parts = maintenance.Split('-');
        var mStart = Array.IndexOf(days, parts[0][..3]) * 1440 + Minutes(parts[0][4..]);
        var mEnd = Array.IndexOf(days, parts[1][..3]) * 1440 + Minutes(parts[1][4..]);
        if (mEnd <= mStart) mEnd += week;
        var b = backup.Split('-');
        var bStart = Minutes(b[0]);
        var bEnd = Minutes(b[1]);
        if (bEnd <= bStart) bEnd += 1440;
        for (var day = -1; day <= 7; day++)
        {
            var s = day * 1440 + bStart;
            var e = day * 1440 + bEnd;
            foreach (var shift in new[] { -week, 0, week })
                if (s < mEnd + shift && mStart + shift < e) return true;
        }
        return false;
    }

    [GeneratedRegex(@"^db\.[a-z][a-z0-9-]*\.(micro|small|medium|large|[1-9][0-9]*xlarge|xlarge)$")]
    private static partial Regex InstanceClassRule();

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex BackupWindowRule();

    [GeneratedRegex(@"^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex MaintenanceWindowRule();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseNameRule();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,15}$")]
    private static partial Regex UsernameRule();
}
