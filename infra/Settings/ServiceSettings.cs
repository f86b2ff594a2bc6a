using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Infra.Model;

namespace Platform.Infra.Settings;

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

    /// <summary>The ingestion pipelines fed by the service's transient stores (<c>ingestion</c>); empty when none.</summary>
    public IReadOnlyList<IngestionSettings> Ingestion { get; init; } = [];

    public static readonly IReadOnlyList<string> Classifications = ["public", "internal", "confidential", "restricted"];

    /// <summary>
    /// The names of the stack-wide components (<see cref="ComponentNames"/>): they start the logical names of their
    /// resources, so a service with such a name would collide with them.
    /// </summary>
    public static IReadOnlyList<string> ReservedNames => ComponentNames.All;

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
            var stores = StoreSettings.ReadAll(reader, o, project, stack, nameOk ? aws : null, property.Name);

            // Further parts of a service (container, usesDatabase, ...) are read here, from `o`, before RejectUnknown,
            // and carried as init properties of this record.
            var container = ContainerSettings.Read(reader, o, property.Name, aws);
            var ingestion = IngestionSettings.ReadAll(reader, o, property.Name, stores);
            o.RejectUnknown();
            if (classification is not null && stores is not null && ingestion is not null)
                services.Add(new ServiceSettings(property.Name, classification, stores) { Container = container, Ingestion = ingestion });
        }
        return services;
    }

    /// <summary>The services of plugin discovery: one store of each kind with every option on.</summary>
    internal static IReadOnlyList<ServiceSettings> Discovery =>
    [
        new("site", "public", [new StaticSiteSettings("site", "PriceClass_All", ["www.example.com"], "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
            "arn:aws:wafv2:us-east-1:000000000000:global/webacl/site/00000000-0000-0000-0000-000000000000", 30)]),
        new("secure", "restricted", [new SecureStoreSettings("secure", 180, null, 30, 365)]) { Container = ContainerSettings.Discovery },
        new("transient", "internal", [new TransientStoreSettings("transient", 2, true)]) { Ingestion = [IngestionSettings.Discovery("transient")] },
    ];

    [GeneratedRegex("^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$")]
    internal static partial Regex NameRule();
}
