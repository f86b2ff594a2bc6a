using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Infra.Settings;

/// <summary>The kinds of store a service may own (<c>kind:</c> in a store entry).</summary>
public enum StoreKind
{
    /// <summary>A private bucket served by CloudFront through an Origin Access Control (single-page applications).</summary>
    StaticSite,

    /// <summary>A versioned bucket encrypted with its own customer-managed KMS key, archived to Glacier (e.g. signature images).</summary>
    SecureStore,

    /// <summary>A bucket whose objects expire after a few days (documents waiting for ingestion).</summary>
    TransientStore,
}

/// <summary>
/// One service of the stack (an entry of <c>platform:services</c>): its name, the classification of its data, and the
/// stores it owns. Other parts of a service (containers, database use, ...) are added as further init properties read in
/// <see cref="Read"/>; see the comment there.
/// </summary>
/// <param name="Name">The service name: lower-case letters, digits and '-', used in resource and bucket names.</param>
/// <param name="DataClassification">Tagged on every resource of the service (<c>DataClassification</c>).</param>
/// <param name="Stores">The stores the service owns, in the order configured.</param>
public sealed partial record ServiceSettings(string Name, string DataClassification, IReadOnlyList<StoreSettings> Stores)
{
    public const string Key = "platform:services";

    /// <summary>The container the service runs on ECS Fargate behind an ALB (<c>container</c>, <c>usesDatabase</c>), or null.</summary>
    public ContainerSettings? Container { get; init; }

    public static readonly IReadOnlyList<string> Classifications = ["public", "internal", "confidential", "restricted"];

    public static readonly IReadOnlyList<string> KindNames = ["staticSite", "secureStore", "transientStore"];

    /// <summary>
    /// Names that components other than services already use as the first part of logical names; a service with such
    /// a name would collide with them.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedNames = ["network", "logs", "discovery"];

    /// <summary>The tags a service's resources carry on top of the stack's default tags.</summary>
    public IReadOnlyDictionary<string, string> Tags => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["Service"] = Name,
        ["DataClassification"] = DataClassification,
    };

    /// <summary>Reads <c>platform:services</c> (optional: a stack without it has no services).</summary>
    internal static IReadOnlyList<ServiceSettings> Read(ConfigReader reader, string project, string stack, AwsSettings? aws)
    {
        const string fix = "add platform:services: {web-a: {dataClassification: public, stores: [{kind: staticSite}]}} to Pulumi.{stack}.yaml (docs/configuration.md)";
        var element = reader.Json(Key, required: false, fix);
        if (element is null) return [];
        if (element.Value.ValueKind != JsonValueKind.Object)
        {
            reader.Add(Key, $"must be a map of service name to service, not a {ObjectReader.Describe(element.Value.ValueKind)}.", fix);
            return [];
        }

        var services = new List<ServiceSettings>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.Value.EnumerateObject())
        {
            var path = $"{Key}.{property.Name}";
            // JSON objects may repeat a key (YAML would already refuse it, but PULUMI_CONFIG is JSON text).
            if (!seen.Add(property.Name))
            {
                reader.Add(path, $"service '{property.Name}' is declared twice.", "give each service a unique name in Pulumi.{stack}.yaml");
                continue;
            }
            var nameOk = false;
            if (!NameRule().IsMatch(property.Name))
                reader.Add(path, $"'{property.Name}' is not a valid service name: use 1-20 lower-case letters, digits or '-', starting with a letter and not ending with '-'.",
                    "rename the service in Pulumi.{stack}.yaml, e.g. web-a");
            else if (ReservedNames.Contains(property.Name, StringComparer.Ordinal))
                reader.Add(path, $"'{property.Name}' is reserved by another component of the platform.", "rename the service in Pulumi.{stack}.yaml");
            else nameOk = true;

            var o = new ObjectReader(reader, path, property.Value);
            if (!o.Present) continue;
            var classification = o.Choice("dataClassification", null, Classifications);
            // Bucket names are checked only for a valid service name (an invalid one is already reported).
            var stores = ReadStores(reader, o, project, stack, nameOk ? aws : null, property.Name);

            // Further parts of a service (issue 4: container, usesDatabase, ...) are read here, from `o`, before
            // RejectUnknown, and carried as init properties of this record.
            var container = ContainerSettings.Read(reader, o, property.Name, aws);
            o.RejectUnknown();
            if (classification is not null && stores is not null)
                services.Add(new ServiceSettings(property.Name, classification, stores) { Container = container });
        }
        return services;
    }

    private static List<StoreSettings>? ReadStores(ConfigReader reader, ObjectReader service, string project, string stack, AwsSettings? aws, string serviceName)
    {
        var path = service.Path("stores");
        var element = service.Element("stores");
        const string example = "stores: [{kind: staticSite}] (one of staticSite, secureStore, transientStore)";
        if (element is null || element.Value.ValueKind != JsonValueKind.Array || element.Value.GetArrayLength() == 0)
        {
            reader.Add(path, element is null
                    ? $"service '{serviceName}' has no store: every service owns at least one."
                    : $"service '{serviceName}' must list its stores as a non-empty list.",
                $"add {example} to the service in Pulumi.{{stack}}.yaml");
            return null;
        }

        var stores = new List<StoreSettings>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        var ok = true;
        foreach (var item in element.Value.EnumerateArray())
        {
            var o = new ObjectReader(reader, $"{path}[{index++}]", item);
            if (!o.Present) { ok = false; continue; }
            var store = StoreSettings.Read(reader, o, serviceName);
            if (store is null) { ok = false; continue; }
            if (!names.Add(store.Name))
            {
                reader.Add(o.Path("name"), $"service '{serviceName}' has two stores named '{store.Name}'.",
                    $"set a distinct name on one of them: {ConfigFix.Set(o.Path("name"), "<name>")}");
                ok = false;
                continue;
            }
            if (aws is { AllowedAccountIds.Count: > 0 })
            {
                var bucket = BucketName(project, stack, serviceName, store.Name, aws.AccountId);
                var problems = BucketNameProblems(bucket);
                if (problems.Count > 0)
                {
                    reader.Add(o.Path("name"), $"service '{serviceName}' composes the bucket name '{bucket}', which S3 refuses: {string.Join("; ", problems)}.",
                        $"shorten the service name or set a shorter store name ({ConfigFix.Set(o.Path("name"), "<name>")}); the bucket name is <project>-<stack>-<service>-<store>-<account id>");
                    ok = false;
                    continue;
                }
            }
            stores.Add(store);
        }
        return ok ? stores : null;
    }

    /// <summary>
    /// The bucket name of a store: <c>&lt;project&gt;-&lt;stack&gt;-&lt;service&gt;-&lt;store&gt;-&lt;account id&gt;</c>. Deterministic, and
    /// globally unique because the account id is in it and every other part is unique within the account.
    /// </summary>
    public static string BucketName(string project, string stack, string service, string store, string accountId) =>
        $"{project}-{stack}-{service}-{store}-{accountId}";

    /// <summary>Every rule of the S3 general purpose bucket naming rules that <paramref name="name"/> breaks (empty when valid).</summary>
    public static IReadOnlyList<string> BucketNameProblems(string name)
    {
        var problems = new List<string>();
        if (name.Length is < 3 or > 63) problems.Add($"it is {name.Length} characters long (3 to 63 allowed)");
        if (name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')))
            problems.Add("only lower-case letters, digits, '.' and '-' are allowed");
        if (name.Length > 0 && !(char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0])))
            problems.Add("it must start with a letter or digit");
        if (name.Length > 0 && !(char.IsAsciiLetterLower(name[^1]) || char.IsAsciiDigit(name[^1])))
            problems.Add("it must end with a letter or digit");
        if (name.Contains("..", StringComparison.Ordinal) || name.Contains(".-", StringComparison.Ordinal) || name.Contains("-.", StringComparison.Ordinal))
            problems.Add("two periods, or a period next to a dash, are not allowed");
        if (IpAddressRule().IsMatch(name)) problems.Add("it must not look like an IP address");
        foreach (var prefix in new[] { "xn--", "sthree-", "amzn-s3-demo-" })
            if (name.StartsWith(prefix, StringComparison.Ordinal)) problems.Add($"the prefix '{prefix}' is reserved");
        foreach (var suffix in new[] { "-s3alias", "--ol-s3", "--x-s3", "--table-s3", ".mrap" })
            if (name.EndsWith(suffix, StringComparison.Ordinal)) problems.Add($"the suffix '{suffix}' is reserved");
        return problems;
    }

    /// <summary>The services of plugin discovery: one store of each kind with every option on.</summary>
    internal static IReadOnlyList<ServiceSettings> Discovery =>
    [
        new("site", "public", [new StaticSiteSettings("site", "PriceClass_All", ["www.example.com"], "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
            "arn:aws:wafv2:us-east-1:000000000000:global/webacl/site/00000000-0000-0000-0000-000000000000", 30)]),
        new("secure", "restricted", [new SecureStoreSettings("secure", 180, null, 30, 365)]) { Container = ContainerSettings.Discovery },
        new("transient", "internal", [new TransientStoreSettings("transient", 2, true)]),
    ];

    [GeneratedRegex("^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$")]
    internal static partial Regex NameRule();

    [GeneratedRegex(@"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$")]
    private static partial Regex IpAddressRule();
}

/// <summary>A store of a service: its name (the purpose part of resource and bucket names) and its kind's options.</summary>
public abstract record StoreSettings(string Name)
{
    public abstract StoreKind Kind { get; }

    /// <summary>S3 keeps objects in Glacier Flexible Retrieval for at least 90 days (earlier deletion is billed as 90).</summary>
    public const int GlacierMinimumDays = 90;

    internal static StoreSettings? Read(ConfigReader reader, ObjectReader o, string service)
    {
        // An unknown kind is reported by Choice, under the store's key (which names the service).
        var kind = o.Choice("kind", null, ServiceSettings.KindNames);
        if (kind is null) return null;
        var defaultName = kind switch { "staticSite" => "site", "secureStore" => "secure", _ => "transient" };
        var name = o.String("name", defaultName, "documents");
        if (name is not null && !ServiceSettings.NameRule().IsMatch(name))
        {
            reader.Add(o.Path("name"), $"service '{service}': '{name}' is not a valid store name: use 1-20 lower-case letters, digits or '-', starting with a letter.",
                ConfigFix.Set(o.Path("name"), defaultName));
            name = null;
        }
        StoreSettings? store = kind switch
        {
            "staticSite" => StaticSiteSettings.Read(reader, o, service, name ?? defaultName),
            "secureStore" => SecureStoreSettings.Read(reader, o, service, name ?? defaultName),
            _ => TransientStoreSettings.Read(reader, o, service, name ?? defaultName),
        };
        o.RejectUnknown();
        return name is null ? null : store;
    }
}

/// <summary>Options of a <c>staticSite</c> store.</summary>
/// <param name="PriceClass">CloudFront price class: PriceClass_100 (default), PriceClass_200 or PriceClass_All.</param>
/// <param name="Aliases">Custom domain names; need <paramref name="CertificateArn"/>.</param>
/// <param name="CertificateArn">An ACM certificate in us-east-1 covering the aliases.</param>
/// <param name="WebAclArn">A WAFv2 web ACL (scope CLOUDFRONT, so in us-east-1).</param>
/// <param name="NoncurrentVersionExpirationDays">How long replaced site files are kept for rollback.</param>
public sealed partial record StaticSiteSettings(string Name, string PriceClass, IReadOnlyList<string> Aliases, string? CertificateArn, string? WebAclArn, int NoncurrentVersionExpirationDays)
    : StoreSettings(Name)
{
    public static readonly IReadOnlyList<string> PriceClasses = ["PriceClass_100", "PriceClass_200", "PriceClass_All"];

    public override StoreKind Kind => StoreKind.StaticSite;

    internal static StaticSiteSettings? Read(ConfigReader reader, ObjectReader o, string service, string name)
    {
        var priceClass = o.Choice("priceClass", "PriceClass_100", PriceClasses)!;
        var aliases = o.Strings("aliases", "aliases: [www.example.com]") ?? [];
        var certificate = o.String("certificateArn", "", "arn:aws:acm:us-east-1:111111111111:certificate/<id>");
        var webAcl = o.String("webAclArn", "", "arn:aws:wafv2:us-east-1:111111111111:global/webacl/<name>/<id>");
        var noncurrent = o.Int("noncurrentVersionExpirationDays", 30, 1, 3650, "days replaced site files are kept for rollback")!.Value;
        var ok = true;

        if (certificate is { Length: > 0 })
        {
            var match = CertificateRule().Match(certificate);
            if (!match.Success)
            {
                reader.Add(o.Path("certificateArn"), $"service '{service}': '{certificate}' is not an ACM certificate ARN.",
                    ConfigFix.Set(o.Path("certificateArn"), "arn:aws:acm:us-east-1:<account>:certificate/<id>"));
                ok = false;
            }
            else if (match.Groups["region"].Value != "us-east-1")
            {
                reader.Add(o.Path("certificateArn"), $"service '{service}': the certificate is in {match.Groups["region"].Value}, but CloudFront only uses ACM certificates in us-east-1.",
                    "request or import the certificate in us-east-1 (N. Virginia) and set its ARN");
                ok = false;
            }
        }
        if (aliases.Count > 0 && certificate is not { Length: > 0 })
        {
            reader.Add(o.Path("aliases"), $"service '{service}': custom domain aliases need a certificate covering them (certificateArn).",
                $"{ConfigFix.Set(o.Path("certificateArn"), "arn:aws:acm:us-east-1:<account>:certificate/<id>")}, or remove the aliases");
            ok = false;
        }
        foreach (var alias in aliases)
            if (!HostRule().IsMatch(alias))
            {
                reader.Add(o.Path("aliases"), $"service '{service}': '{alias}' is not a domain name.", "use lower-case domain names like www.example.com");
                ok = false;
            }
        if (webAcl is { Length: > 0 } && !WebAclRule().IsMatch(webAcl))
        {
            reader.Add(o.Path("webAclArn"), $"service '{service}': '{webAcl}' is not the ARN of a CloudFront-scoped WAFv2 web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>).",
                "create the web ACL with scope CLOUDFRONT in us-east-1 and set its ARN");
            ok = false;
        }
        return ok ? new StaticSiteSettings(name, priceClass, aliases, NullIfEmpty(certificate), NullIfEmpty(webAcl), noncurrent) : null;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:acm:(?<region>[a-z0-9-]+):[0-9]{12}:certificate/[A-Za-z0-9-]+$")]
    private static partial Regex CertificateRule();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:wafv2:us-east-1:[0-9]{12}:global/webacl/[A-Za-z0-9_-]+/[a-f0-9-]+$")]
    private static partial Regex WebAclRule();

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex HostRule();
}

/// <summary>Options of a <c>secureStore</c>: the archival and expiry rules, in days.</summary>
/// <param name="ArchiveAfterDays">Current objects move to GLACIER after this many days (the archival rule; default 180).</param>
/// <param name="ExpireAfterDays">Current objects are deleted after this many days; null (default) keeps them.</param>
/// <param name="NoncurrentArchiveAfterDays">Replaced or deleted versions move to GLACIER after this many days (default 30).</param>
/// <param name="NoncurrentExpireAfterDays">Replaced or deleted versions are deleted after this many days (default 365).</param>
public sealed record SecureStoreSettings(string Name, int ArchiveAfterDays, int? ExpireAfterDays, int NoncurrentArchiveAfterDays, int NoncurrentExpireAfterDays)
    : StoreSettings(Name)
{
    public override StoreKind Kind => StoreKind.SecureStore;

    internal static SecureStoreSettings? Read(ConfigReader reader, ObjectReader o, string service, string name)
    {
        var archive = o.Int("archiveAfterDays", 180, 0, 36500, "days before current objects move to Glacier")!.Value;
        var expire = o.Element("expireAfterDays") is null ? null : o.Int("expireAfterDays", null, 1, 36500, "days before current objects are deleted");
        var noncurrentArchive = o.Int("noncurrentArchiveAfterDays", 30, 0, 36500, "days before replaced versions move to Glacier")!.Value;
        var noncurrentExpire = o.Int("noncurrentExpireAfterDays", 365, 1, 36500, "days before replaced versions are deleted")!.Value;
        var ok = CheckOrder(reader, o, service, "archiveAfterDays", archive, "expireAfterDays", expire);
        ok &= CheckOrder(reader, o, service, "noncurrentArchiveAfterDays", noncurrentArchive, "noncurrentExpireAfterDays", noncurrentExpire);
        return ok ? new SecureStoreSettings(name, archive, expire, noncurrentArchive, noncurrentExpire) : null;
    }

    /// <summary>Expiration must come after the Glacier transition, and leave the objects there for Glacier's 90-day minimum.</summary>
    private static bool CheckOrder(ConfigReader reader, ObjectReader o, string service, string archiveField, int archive, string expireField, int? expire)
    {
        if (expire is null) return true;
        if (expire <= archive)
        {
            reader.Add(o.Path(expireField), $"service '{service}': objects would be deleted after {expire} days, before or when they move to Glacier after {archive} days ({archiveField}).",
                $"set {expireField} above {archive}, or lower {archiveField}");
            return false;
        }
        if (expire - archive < GlacierMinimumDays)
        {
            reader.Add(o.Path(expireField), $"service '{service}': objects would stay in Glacier {expire - archive} days, less than Glacier's {GlacierMinimumDays}-day minimum (the rest is billed anyway).",
                $"set {expireField} to at least {archive + GlacierMinimumDays}, or lower {archiveField}");
            return false;
        }
        return true;
    }
}

/// <summary>Options of a <c>transientStore</c>.</summary>
/// <param name="ExpireAfterDays">
/// Objects are deleted this many days after creation (default 2: "no longer required after 48 hours"). S3 rounds a
/// lifecycle rule to the next midnight UTC and removes expired objects asynchronously, so 2 days means 48-72 hours.
/// </param>
/// <param name="Versioned">Keep versions (noncurrent versions expire after 1 day); default false.</param>
public sealed record TransientStoreSettings(string Name, int ExpireAfterDays, bool Versioned) : StoreSettings(Name)
{
    public override StoreKind Kind => StoreKind.TransientStore;

    internal static TransientStoreSettings? Read(ConfigReader reader, ObjectReader o, string service, string name)
    {
        if (o.Element("expireAfterHours") is not null)
            o.Fail("expireAfterHours", $"service '{service}': S3 lifecycle rules count whole days, not hours.",
                $"use expireAfterDays (48 hours → 2; S3 rounds to the next midnight UTC, so 2 days means 48-72 hours)");
        var expire = o.Int("expireAfterDays", 2, 1, 3650, "days before documents are deleted")!.Value;
        var versioned = o.Bool("versioned", false)!.Value;
        return new TransientStoreSettings(name, expire, versioned);
    }
}
