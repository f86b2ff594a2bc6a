using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>
/// The MySQL migration path (<c>platform:migration</c>, off unless set): AWS DMS replicates a source MySQL server into
/// the stack's own <c>platform:database</c> (which must be MySQL 8.4) with a full load and ongoing changes (CDC), over
/// a Site-to-Site VPN the stack creates or a connection that already exists. Credentials are Secrets Manager secrets
/// named by ARN: no password is ever config or template (docs/migration.md).
/// </summary>
public sealed partial record MigrationSettings(
    MigrationSource Source,
    string TargetSecretArn,
    MigrationConnectivity Connectivity,
    MigrationVpn? Vpn,
    bool CreateDmsVpcRole,
    bool CreateDmsCloudWatchLogsRole,
    MigrationReplication Replication,
    IReadOnlyList<TablePattern> Include,
    IReadOnlyList<TablePattern> Exclude,
    MigrationTask Task)
{
    public const string Key = "platform:migration";

    /// <summary>The target's initial storage must be at least the source's size times this: indexes rebuilt, binary logs, temporary space.</summary>
    public const double StorageHeadroom = 1.2;

    /// <summary>The oldest MySQL source DMS reads (DMS user guide, "Sources for data migration").</summary>
    public static readonly (int Major, int Minor) OldestSource = (5, 5);

    public static readonly IReadOnlyList<string> PrepModes = ["DO_NOTHING", "TRUNCATE_BEFORE_LOAD", "DROP_AND_CREATE"];

    /// <summary>Every feature on for plugin discovery: the VPN (static routing: its route is a type of its own) and both account roles.</summary>
    public static MigrationSettings Discovery => new(
        new MigrationSource("5.7", 3306, new Cidr(192u << 24 | 168u << 16, 16), 100, "arn:aws:secretsmanager:us-east-1:000000000000:secret:discovery-source"),
        "arn:aws:secretsmanager:us-east-1:000000000000:secret:discovery-target",
        MigrationConnectivity.Vpn, new MigrationVpn("203.0.113.10", null), true, true,
        new MigrationReplication("dms.r6i.xlarge", 100, true, null), [new TablePattern("app", "%")], [], new MigrationTask(8, 1, 32, true, "DO_NOTHING"));

    internal static MigrationSettings? Read(ConfigReader reader, StageProfile? profile, DatabaseSettings? database, NetworkSettings? network)
    {
        var json = reader.Json(Key, required: false, "see docs/configuration.md, \"platform:migration\"");
        if (json is null) return null;
        var o = new ObjectReader(reader, Key, json);
        if (!o.Present) return null;

        RefusePasswords(reader, o, null);
        var source = ReadSource(reader, o.Object("source"), network);
        var target = o.Object("target");
        RefusePasswords(reader, target, "target");
        var targetSecret = SecretArn(reader, target, "target");
        target.RejectUnknown();

        var connectivity = o.Choice("connectivity", null, ["vpn", "existing"]) switch
        {
            "vpn" => MigrationConnectivity.Vpn,
            "existing" => MigrationConnectivity.Existing,
            _ => (MigrationConnectivity?)null,
        };
        var vpnObject = o.Object("vpn");
        MigrationVpn? vpn = null;
        if (connectivity == MigrationConnectivity.Vpn) vpn = ReadVpn(reader, vpnObject);
        else if (connectivity == MigrationConnectivity.Existing && vpnObject.Present)
            reader.Add(vpnObject.Key, "is set but connectivity is 'existing': the stack creates no VPN.",
                $"remove {vpnObject.Key} from Pulumi.{{stack}}.yaml, or {ConfigFix.Set(o.Path("connectivity"), "vpn")}");

        var vpcRole = o.Bool("createDmsVpcRole", true)!.Value;
        var logsRole = o.Bool("createDmsCloudWatchLogsRole", true)!.Value;
        var replication = ReadReplication(reader, o.Object("replication"), profile);
        var (include, exclude) = ReadTables(reader, o.Object("tables"));
        var task = ReadTask(o.Object("task"));

        CheckTarget(reader, database, source);
        // The replication instance calls Secrets Manager, KMS and CloudWatch Logs from the private subnets; the network
        // has no interface endpoints for them, so it needs NAT (DMS user guide, "Using secrets to access AWS Database
        // Migration Service endpoints": the instance must reach Secrets Manager).
        if (network is { Nat: NatStrategy.None })
            reader.Add("platform:network.natStrategy", "is none, but the migration's replication instance must reach Secrets Manager, KMS and CloudWatch Logs from the private subnets.",
                ConfigFix.Set("platform:network.natStrategy", "single"));
        o.RejectUnknown();
        if (source is null || targetSecret is null || connectivity is null || (connectivity == MigrationConnectivity.Vpn && vpn is null) || replication is null || include is null || task is null)
            return null;
        return new MigrationSettings(source, targetSecret, connectivity.Value, vpn, vpcRole, logsRole, replication, include, exclude, task);
    }

    /// <summary>
    /// A password in config would end up in the stack file, the template and DMS's endpoint in plain text: refused,
    /// whatever its spelling, without ever echoing it.
    /// </summary>
    private static void RefusePasswords(ConfigReader reader, ObjectReader o, string? side)
    {
        foreach (var field in o.FieldNames().Where(f => f.Contains("password", StringComparison.OrdinalIgnoreCase)))
        {
            _ = o.Element(field);
            var who = side ?? "source";
            reader.Add(o.Path(field), "is a password in plain config: it would be written into the stack file, the template and the DMS endpoint. DMS reads credentials from Secrets Manager instead.",
                $"pulumi config rm --path '{o.Path(field)}' --stack {{stack}}; then aws secretsmanager create-secret --name {{stack}}/migration/{who} --secret-string file://{who}.json " +
                $"(JSON with host, port, username, password) and {ConfigFix.Set($"{Key}.{who}.secretArn", "<the ARN it prints>")}");
        }
    }

    private static MigrationSource? ReadSource(ConfigReader reader, ObjectReader o, NetworkSettings? network)
    {
        if (!o.Present)
        {
            reader.Add(o.Key, "is required: the source server's version, network, size and secret.",
                $"add {o.Key}: {{engineVersion: \"5.7\", cidr: 192.168.0.0/16, sizeGb: 20480, secretArn: <arn>}} to Pulumi.{{stack}}.yaml");
            return null;
        }
        RefusePasswords(reader, o, "source");
        var version = o.Matching("engineVersion", null, MajorRule(), "is not a MySQL major like 5.7 or 8.0.", "'5.7'");
        if (version is not null && Major(version).CompareTo(OldestSource) < 0)
        {
            reader.Add(o.Path("engineVersion"), $"MySQL {version} is older than DMS reads ({OldestSource.Major}.{OldestSource.Minor} or newer).",
                "upgrade the source in place to 5.7 first, or migrate with mysqldump (docs/migration.md, \"Alternatives\")");
            version = null;
        }
        var port = o.Int("port", 3306, 1, 65535, "the source server's port")!.Value;
        var cidr = SourceCidr(reader, o, network);
        var size = o.Int("sizeGb", null, 1, (int)(65536 / StorageHeadroom), "the source's data size in GiB (information_schema.tables data + index length)");
        var secret = SecretArn(reader, o, "source");
        o.RejectUnknown();
        return version is null || cidr is null || size is null || secret is null ? null : new MigrationSource(version, port, cidr.Value, size.Value, secret);
    }

    private static Cidr? SourceCidr(ConfigReader reader, ObjectReader o, NetworkSettings? network)
    {
        var text = o.String("cidr", null, "192.168.0.0/16");
        if (text is null) return null;
        if (!Cidr.TryParse(text, out var cidr, out var error))
        {
            reader.Add(o.Path("cidr"), error, ConfigFix.Set(o.Path("cidr"), Cidr.CanonicalOf(text)?.ToString() ?? "192.168.0.0/16"));
            return null;
        }
        if (cidr.Prefix < 8)
        {
            reader.Add(o.Path("cidr"), $"{cidr} is wider than a /8: routing it through the VPN would send most of the internet there.", "give the source network's own range, e.g. 192.168.10.0/24");
            return null;
        }
        if (network is not null && cidr.Overlaps(network.VpcCidr))
        {
            reader.Add(o.Path("cidr"), $"{cidr} overlaps the stack's VPC {network.VpcCidr}: traffic to the source would never leave the VPC.",
                "renumber one side: give the source network's range as seen through the VPN (a NAT range on the source side), or move platform:network.cidr");
            return null;
        }
        return cidr;
    }

    private static string? SecretArn(ConfigReader reader, ObjectReader o, string who)
    {
        var fix = $"aws secretsmanager create-secret --name {{stack}}/migration/{who} --secret-string file://{who}.json (JSON with host, port, username, password), then {ConfigFix.Set(o.Path("secretArn"), "<the ARN it prints>")}";
        if (o.Element("secretArn") is null)
        {
            reader.Add(o.Path("secretArn"), "is required: DMS reads the credentials from this Secrets Manager secret.", fix);
            return null;
        }
        var arn = o.String("secretArn", null, "<arn>");
        if (arn is null || SecretArnRule().IsMatch(arn)) return arn;
        reader.Add(o.Path("secretArn"), $"'{MessageMask.Shorten(arn)}' is not the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>).", fix);
        return null;
    }

    private static MigrationVpn? ReadVpn(ConfigReader reader, ObjectReader o)
    {
        if (!o.Present)
        {
            reader.Add(o.Key, "is required when connectivity is 'vpn': the public IP of the source network's VPN device.",
                $"{ConfigFix.Set($"{o.Key}.customerGatewayIp", "<public IPv4 of the device>")}, or {ConfigFix.Set($"{Key}.connectivity", "existing")} when a connection exists");
            return null;
        }
        var ip = o.String("customerGatewayIp", null, "<public IPv4 of the device>");
        string? valid = null;
        if (ip is not null)
        {
            if (!Cidr.TryParse(ip + "/32", out var address, out _))
                reader.Add(o.Path("customerGatewayIp"), $"'{MessageMask.Shorten(ip)}' is not an IPv4 address in dotted-decimal notation.", ConfigFix.Set(o.Path("customerGatewayIp"), "<public IPv4 of the device>"));
            else if (Cidr.NotPublic.FirstOrDefault(r => r.Range.Contains(address)) is { Name: { } name })
                reader.Add(o.Path("customerGatewayIp"), $"{ip} is a {name} address: a Site-to-Site VPN connects to the device's public IPv4 address, reachable from the internet.",
                    $"{ConfigFix.Set(o.Path("customerGatewayIp"), "<public IPv4 of the device>")} (the address of its outside interface, or of the NAT in front of it)");
            else valid = ip;
        }
        var asn = o.Element("bgpAsn") is null ? null : o.Int("bgpAsn", null, 1, int.MaxValue, "the device's BGP ASN; leave it out for static routing");
        if (asn == MigrationVpn.AmazonSideAsn)
        {
            reader.Add(o.Path("bgpAsn"), $"{asn} is the virtual private gateway's own ASN: the two sides of a BGP session need different ASNs.", ConfigFix.Set(o.Path("bgpAsn"), "65010"));
            asn = null;
            valid = null;
        }
        o.RejectUnknown();
        return valid is null ? null : new MigrationVpn(valid, asn);
    }

    private static MigrationReplication? ReadReplication(ConfigReader reader, ObjectReader o, StageProfile? profile)
    {
        var instanceClass = o.Matching("instanceClass", "dms.r6i.2xlarge", InstanceClassRule(), "is not a DMS replication instance class like dms.r6i.2xlarge or dms.c6i.xlarge.", "dms.r6i.2xlarge");
        var storage = o.Int("allocatedStorageGb", 500, 5, 6144, "the replication instance's storage in GiB: task logs and cached changes during the full load")!.Value;
        var multiAz = o.Bool("multiAz", true)!.Value;
        if (profile is { Protect: true } && !multiAz)
            reader.Add(o.Path("multiAz"), "is false in a protected stage (DMS.13): one AZ's failure would stop the replication until the instance is replaced.",
                $"remove {o.Path("multiAz")} from Pulumi.{{stack}}.yaml (the default is true)");
        var given = o.Element("engineVersion") is not null;
        var version = given ? o.Matching("engineVersion", null, EngineVersionRule(), "is not a DMS engine version like 3.5.4.", "3.5.4") : null;
        var invalidVersion = given && version is null;
        o.RejectUnknown();
        return instanceClass is null || invalidVersion ? null : new MigrationReplication(instanceClass, storage, multiAz, version);
    }

    private static (IReadOnlyList<TablePattern>? Include, IReadOnlyList<TablePattern> Exclude) ReadTables(ConfigReader reader, ObjectReader o)
    {
        var include = Patterns(reader, o, "include");
        var exclude = Patterns(reader, o, "exclude") ?? [];
        if (include is null || include.Count == 0)
            reader.Add(o.Path("include"), "is required: the schemas and tables to migrate, as schema.table with % as wildcard.",
                $"{ConfigFix.Set(o.Path("include[0]"), "'app.%'")} (one entry per schema or table)");
        o.RejectUnknown();
        return (include is { Count: > 0 } ? include : null, exclude);
    }

    private static List<TablePattern>? Patterns(ConfigReader reader, ObjectReader o, string field)
    {
        var texts = o.Strings(field, "[app.%, billing.invoices]");
        if (texts is null) return null;
        var patterns = new List<TablePattern>();
        for (var i = 0; i < texts.Count; i++)
        {
            var match = TablePatternRule().Match(texts[i]);
            if (!match.Success)
            {
                reader.Add($"{o.Path(field)}[{i}]", $"'{MessageMask.Shorten(texts[i])}' is not schema.table (letters, digits, _ and $; % matches anything).",
                    ConfigFix.Set($"{o.Path(field)}[{i}]", "'app.%'"));
                continue;
            }
            patterns.Add(new TablePattern(match.Groups[1].Value, match.Groups[2].Value));
        }
        return patterns;
    }

    private static MigrationTask? ReadTask(ObjectReader o)
    {
        var subTasks = o.Int("maxFullLoadSubTasks", 16, 1, 49, "tables loaded in parallel during the full load")!.Value;
        var threads = o.Int("parallelLoadThreads", 1, 1, 16, "threads per table on the MySQL target, each a connection")!.Value;
        var lob = o.Int("lobMaxSizeKb", 32, 1, 102400, "limited LOB mode's maximum LOB size in KB")!.Value;
        var validation = o.Bool("validation", true)!.Value;
        var prep = o.Choice("targetTablePrepMode", "DO_NOTHING", PrepModes);
        o.RejectUnknown();
        return prep is null ? null : new MigrationTask(subTasks, threads, lob, validation, prep);
    }

    /// <summary>The target is the stack's database: MySQL, a major not lower than the source's, storage for the data.</summary>
    private static void CheckTarget(ConfigReader reader, DatabaseSettings? database, MigrationSource? source)
    {
        if (!reader.Has(DatabaseSettings.Key))
        {
            reader.Add(DatabaseSettings.Key, "is not set, but platform:migration replicates into the stack's database.",
                $"add {DatabaseSettings.Key}: {{engine: mysql, version: \"8.4\", instanceClass: db.r7g.2xlarge, allocatedStorageGb: 24576}} to Pulumi.{{stack}}.yaml");
            return;
        }
        if (database is null) return; // its own problems are reported already
        if (database.Engine != DatabaseEngine.MySql)
        {
            reader.Add($"{DatabaseSettings.Key}.engine", $"is '{database.Engine.Name}', but platform:migration replicates a MySQL source into the stack's database: the target must be MySQL.",
                $"{ConfigFix.Set($"{DatabaseSettings.Key}.engine", "mysql")} and {ConfigFix.Set($"{DatabaseSettings.Key}.version", "'8.4'")} (a new database)");
            return;
        }
        if (source is null) return;
        if (Major(database.Version).CompareTo(Major(source.EngineVersion)) < 0)
            reader.Add($"{DatabaseSettings.Key}.version", $"MySQL {database.Version} is lower than the source's {source.EngineVersion}: replication never goes to an older major.",
                $"keep the target on a supported major at least {source.EngineVersion} ({string.Join(", ", DatabaseEngine.MySql.Versions)}); a newer source needs a newer RDS major first");
        var needed = (int)Math.Ceiling(source.SizeGb * StorageHeadroom);
        if (database.AllocatedStorageGb < needed)
            reader.Add($"{DatabaseSettings.Key}.allocatedStorageGb",
                $"{database.AllocatedStorageGb} GiB cannot hold the source's {source.SizeGb} GiB with {(StorageHeadroom - 1) * 100:0} % headroom ({needed} GiB): storage autoscaling grows in steps with hours between them, too slow for a full load.",
                ConfigFix.Set($"{DatabaseSettings.Key}.allocatedStorageGb", needed));
    }

    private static (int Major, int Minor) Major(string version)
    {
        var parts = version.Split('.');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^[1-9][0-9]?\.[0-9]{1,2}$")]
    private static partial Regex MajorRule();

    /// <summary>A Secrets Manager secret ARN (Secrets Manager user guide, "Resource ARN": arn:partition:secretsmanager:region:account:secret:name-suffix).</summary>
    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$")]
    private static partial Regex SecretArnRule();

    [GeneratedRegex(@"^dms\.[a-z][a-z0-9-]*\.(micro|small|medium|large|xlarge|[1-9][0-9]*xlarge)$")]
    private static partial Regex InstanceClassRule();

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+$")]
    private static partial Regex EngineVersionRule();

    [GeneratedRegex(@"^([A-Za-z0-9_$%]{1,64})\.([A-Za-z0-9_$%]{1,64})$")]
    private static partial Regex TablePatternRule();
}
