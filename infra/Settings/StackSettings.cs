
namespace Platform.Infra.Settings;

/// <summary>The typed, validated settings of one stack: everything the components read.</summary>
/// <param name="Network">The VPC; null for a bootstrap stack, which builds none.</param>
public sealed record StackSettings(string Project, string Stack, AwsSettings Aws, StageProfile Profile, NetworkSettings? Network)
{
    /// <summary>The <c>platform:</c> keys; anything else in that namespace is refused as a typo.</summary>
    public static readonly IReadOnlyList<string> PlatformKeys = ["platform:profile", "platform:network", ServiceSettings.Key, DatabaseSettings.Key, Waiver.Key, BootstrapSettings.Key, WafSettings.Key, MonitoringSettings.Key, DrSettings.Key, MigrationSettings.Key, BaselineSettings.Key];

    /// <summary>The services of the stack (<c>platform:services</c>) and the stores each owns.</summary>
    public IReadOnlyList<ServiceSettings> Services { get; init; } = [];

    /// <summary>Time-boxed exceptions to security controls (<c>platform:waivers</c>), applied by the policy engine.</summary>
    public IReadOnlyList<Waiver> Waivers { get; init; } = [];

    /// <summary>The stack's relational database (<c>platform:database</c>), or null when it has none.</summary>
    public DatabaseSettings? Database { get; init; }

    /// <summary>Alarms, their notifications and the services' objectives (<c>platform:monitoring</c>): on in every stage.</summary>
    public MonitoringSettings Monitoring { get; init; } = MonitoringSettings.Defaults(AlarmPreset.Standard, []);

    /// <summary>The stack's web application firewall (<c>platform:waf</c>).</summary>
    public WafSettings Waf { get; init; } = WafSettings.Default;

    /// <summary>Data resilience (<c>platform:dr</c>): backups copied to a DR region, replicated secure stores, restore drills; null: no DR.</summary>
    public DrSettings? Dr { get; init; }
    /// <summary>The MySQL migration into the stack's database (<c>platform:migration</c>), or null when off.</summary>
    public MigrationSettings? Migration { get; init; }
    /// <summary>The account's security baseline (<c>platform:baseline</c>): carried by exactly one stack per account.</summary>
    public BaselineSettings Baseline { get; init; } = BaselineSettings.Off;

    /// <summary>Set for a bootstrap stack (<c>platform:bootstrap</c>): the account's delivery resources, and nothing else.</summary>
    public BootstrapSettings? Bootstrap { get; init; }

    /// <summary>
    /// Reads and validates a stack's config (PULUMI_CONFIG's shape). Throws <see cref="ConfigException"/> listing every
    /// problem at once.
    /// </summary>
    public static StackSettings Load(string project, string stack, IReadOnlyDictionary<string, string> config)
    {
        var reader = new ConfigReader(config);
        if (!TextRules.ResourceName().IsMatch(stack))
            reader.Add("stack name", $"'{stack}' cannot be used in AWS resource names: use 1-20 lower-case letters, digits or '-', starting with a letter.",
                "pulumi stack rename <new-name> (or create the stack with such a name)");
        var aws = AwsSettings.Read(reader);
        if (reader.Has(BootstrapSettings.Key))
            return BootstrapSettings.Load(project, stack, reader, aws) ?? throw new ConfigException(stack, reader.Problems);
        var profile = StageProfile.Read(reader);
        var network = NetworkSettings.Read(reader);
        var services = ServiceSettings.Read(reader, project, stack, aws);
        var database = DatabaseSettings.Read(reader, profile);
        var waivers = Waiver.Read(reader);
        var waf = WafSettings.Read(reader);
        var monitoring = MonitoringSettings.Read(reader, profile, services);
        var dr = DrSettings.Read(reader, project, stack, aws, profile, services);
        var migration = MigrationSettings.Read(reader, profile, database, network);
        var baseline = BaselineSettings.Read(reader);
        reader.RejectUnknown("platform", PlatformKeys);
        if (reader.Problems.Count > 0) throw new ConfigException(stack, reader.Problems);
        return new StackSettings(project, stack, aws!, profile!, network!) { Services = services, Database = database, Waivers = waivers, Waf = waf, Monitoring = monitoring, Dr = dr, Migration = migration, Baseline = baseline };
    }

    /// <summary>
    /// The settings used when Pulumi runs the compiler with no stack (plugin discovery): every feature on, so the template
    /// names every resource type and the provider version any stack can use.
    /// </summary>
    public static StackSettings Discovery(string project) => new(
        project,
        "discovery",
        new AwsSettings("us-east-1", ["000000000000"], [], new Dictionary<string, string>()),
        StageProfile.Safest,
        new NetworkSettings(Cidr.PrivateRanges[0].Subnet(16, 0), 3, NatStrategy.OnePerAz, null))
    {
        Services = ServiceSettings.Discovery,
        Database = DatabaseSettings.Discovery,
        Bootstrap = BootstrapSettings.Discovery("000000000000"),
        Dr = DrSettings.Discovery,
        Migration = MigrationSettings.Discovery,
        Baseline = BaselineSettings.Discovery,
        Monitoring = MonitoringSettings.Defaults(AlarmPreset.Standard, ServiceSettings.Discovery.Where(s => s.Container is not null).Select(s => s.Name)) with
        {
            Subscriptions = [new AlarmSubscription("email", "discovery@example.com", null)],
        },
    };
}
