using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>The typed, validated settings of one stack: everything the components read.</summary>
/// <param name="Network">The VPC; null for a bootstrap stack, which builds none.</param>
public sealed partial record StackSettings(string Project, string Stack, AwsSettings Aws, StageProfile Profile, NetworkSettings? Network)
{
    /// <summary>The <c>platform:</c> keys; anything else in that namespace is refused as a typo.</summary>
    public static readonly IReadOnlyList<string> PlatformKeys = ["platform:profile", "platform:network", ServiceSettings.Key, DatabaseSettings.Key, Waiver.Key, BootstrapSettings.Key];

    /// <summary>The services of the stack (<c>platform:services</c>) and the stores each owns.</summary>
    public IReadOnlyList<ServiceSettings> Services { get; init; } = [];

    /// <summary>Time-boxed exceptions to security controls (<c>platform:waivers</c>), applied by the policy engine.</summary>
    public IReadOnlyList<Waiver> Waivers { get; init; } = [];

    /// <summary>The stack's relational database (<c>platform:database</c>), or null when it has none.</summary>
    public DatabaseSettings? Database { get; init; }

    /// <summary>Set for a bootstrap stack (<c>platform:bootstrap</c>): the account's delivery resources, and nothing else.</summary>
    public BootstrapSettings? Bootstrap { get; init; }

    /// <summary>
    /// Reads and validates a stack's config (PULUMI_CONFIG's shape). Throws <see cref="ConfigException"/> listing every
    /// problem at once.
    /// </summary>
    public static StackSettings Load(string project, string stack, IReadOnlyDictionary<string, string> config)
    {
        var reader = new ConfigReader(config);
        if (!StackNameRule().IsMatch(stack))
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
        reader.RejectUnknown("platform", PlatformKeys);
        if (reader.Problems.Count > 0) throw new ConfigException(stack, reader.Problems);
        return new StackSettings(project, stack, aws!, profile!, network!) { Services = services, Database = database, Waivers = waivers };
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
    };

    [GeneratedRegex("^[a-z][a-z0-9-]{0,19}$")]
    private static partial Regex StackNameRule();
}

/// <summary>The AWS provider's stack settings (<c>aws:*</c>) that the platform requires and checks.</summary>
public sealed partial record AwsSettings(
    string Region,
    IReadOnlyList<string> AllowedAccountIds,
    IReadOnlyList<string> AssumeRoleArns,
    IReadOnlyDictionary<string, string> DefaultTags)
{
    public static readonly IReadOnlyList<string> RequiredTags = ["Project", "Environment", "ManagedBy", "Owner", "CostCenter"];

    /// <summary>The account this stack deploys into (the first allowed id).</summary>
    public string AccountId => AllowedAccountIds[0];

    /// <summary>The ARN partition of the region.</summary>
    public string Partition => Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    internal static AwsSettings? Read(ConfigReader reader)
    {
        var region = reader.String("aws:region", required: true, example: "eu-west-1");
        if (region is not null && !RegionRule().IsMatch(region))
            reader.Add("aws:region", $"'{region}' is not an AWS region name like eu-west-1.", "pulumi config set aws:region eu-west-1 --stack {stack}");

        var accounts = new List<string>();
        const string accountsFix = "pulumi config set --path 'aws:allowedAccountIds[0]' '111111111111' --stack {stack} (the 12-digit id of the stack's account)";
        if (reader.Json("aws:allowedAccountIds", required: true, accountsFix) is { } ids)
        {
            if (ids.ValueKind != JsonValueKind.Array || ids.GetArrayLength() == 0)
                reader.Add("aws:allowedAccountIds", "must be a non-empty list of account ids: the provider then refuses any other account.", accountsFix);
            else
                foreach (var id in ids.EnumerateArray())
                {
                    var text = id.ValueKind == JsonValueKind.String ? id.GetString()! : id.ToString();
                    if (AccountRule().IsMatch(text)) accounts.Add(text);
                    else reader.Add("aws:allowedAccountIds", $"'{text}' is not a 12-digit AWS account id (quote it in YAML so leading zeros survive).", accountsFix);
                }
        }

        if (reader.Has("aws:assumeRole"))
            reader.Add("aws:assumeRole", "was removed in the AWS provider v7: it takes a list, aws:assumeRoles.",
                "replace it with aws:assumeRoles: [{roleArn: ..., sessionName: ...}] in Pulumi.{stack}.yaml");
        var roles = new List<string>();
        const string rolesFix = "set aws:assumeRoles to a list like [{roleArn: 'arn:aws:iam::111111111111:role/platform-deployer', sessionName: platform}] in Pulumi.{stack}.yaml";
        if (reader.Json("aws:assumeRoles", required: false, rolesFix) is { } list)
        {
            if (list.ValueKind != JsonValueKind.Array)
                reader.Add("aws:assumeRoles", "must be a list of {roleArn, sessionName} objects (the v7 form).", rolesFix);
            else
            {
                var index = 0;
                foreach (var role in list.EnumerateArray())
                {
                    var key = $"aws:assumeRoles[{index++}].roleArn";
                    var arn = role.ValueKind == JsonValueKind.Object && role.TryGetProperty("roleArn", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : null;
                    var match = arn is null ? null : RoleArnRule().Match(arn);
                    if (match is not { Success: true })
                        reader.Add(key, arn is null ? "is required." : $"'{arn}' is not an IAM role ARN like arn:aws:iam::111111111111:role/platform-deployer.", rolesFix);
                    else if (accounts.Count > 0 && !accounts.Contains(match.Groups["account"].Value))
                        reader.Add(key, $"assumes a role in account {match.Groups["account"].Value}, which aws:allowedAccountIds does not allow ({string.Join(", ", accounts)}).",
                            "use the deployer role of the stack's own account, or correct aws:allowedAccountIds");
                    else roles.Add(arn!);
                }
            }
        }

        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        const string tagsFix = "set aws:defaultTags: {tags: {Project: ..., Environment: ..., ManagedBy: pulumi, Owner: ..., CostCenter: ...}} in Pulumi.{stack}.yaml";
        if (reader.Json("aws:defaultTags", required: true, tagsFix) is { } defaultTags)
        {
            if (defaultTags.ValueKind == JsonValueKind.Object && defaultTags.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object)
                foreach (var tag in t.EnumerateObject())
                    tags[tag.Name] = tag.Value.ValueKind == JsonValueKind.String ? tag.Value.GetString()! : tag.Value.ToString();
            var missing = RequiredTags.Where(k => !tags.TryGetValue(k, out var v) || v.Length == 0).ToArray();
            if (missing.Length > 0)
                reader.Add("aws:defaultTags", $"lacks the tags {string.Join(", ", missing)} (every resource carries {string.Join(", ", RequiredTags)}).",
                    $"add them under aws:defaultTags.tags, e.g. pulumi config set --path 'aws:defaultTags.tags.{missing[0]}' <value> --stack {{stack}}");
        }

        return region is null ? null : new AwsSettings(region, accounts, roles, tags);
    }

    // [0-9], never \d: .NET's \d matches every Unicode digit (Arabic-Indic, full-width...), which AWS refuses.
    [GeneratedRegex(@"^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-[a-z]+-[0-9]{1,2}$")]
    private static partial Regex RegionRule();

    [GeneratedRegex(@"^[0-9]{12}$")]
    private static partial Regex AccountRule();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:iam::(?<account>[0-9]{12}):role/[A-Za-z0-9_+=,.@/-]{1,512}$")]
    private static partial Regex RoleArnRule();
}

/// <summary>
/// How a stage treats its data and its operations: the differences between dev and prod live here, as data,
/// never as <c>if (prod)</c> in components. Every default is the safe one: a stack relaxes it explicitly.
/// </summary>
public sealed record StageProfile(bool Protect, bool DisposableData, int LogRetentionDays)
{
    public static readonly IReadOnlyList<int> RetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public static readonly StageProfile Safest = new(Protect: true, DisposableData: false, LogRetentionDays: 365);

    internal static StageProfile? Read(ConfigReader reader)
    {
        var o = new ObjectReader(reader, "platform:profile", reader.Json("platform:profile", required: false, "see docs/configuration.md"));
        var protect = o.Bool("protect", Safest.Protect)!.Value;
        var disposable = o.Bool("disposableData", Safest.DisposableData)!.Value;
        var retention = o.Int("logRetentionDays", Safest.LogRetentionDays, 1, 3653, "days CloudWatch keeps logs")!.Value;
        if (!RetentionDays.Contains(retention))
            reader.Add(o.Path("logRetentionDays"), $"{retention} is not a retention CloudWatch Logs accepts ({string.Join(", ", RetentionDays)}).",
                $"pulumi config set --path '{o.Path("logRetentionDays")}' {RetentionDays.First(d => d >= retention)} --stack {{stack}}");
        if (protect && disposable)
            reader.Add(o.Path("disposableData"), "cannot be true in a protected stage: protected data is never disposable.",
                $"set {o.Path("disposableData")} to false, or {o.Path("protect")} to false for a throw-away stage");
        o.RejectUnknown();
        return new StageProfile(protect, disposable, retention);
    }
}
