using System.Text.Json;

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

/// <summary>A store of a service: its name (the purpose part of resource and bucket names) and its kind's options.</summary>
public abstract record StoreSettings(string Name)
{
    public abstract StoreKind Kind { get; }

    /// <summary>S3 keeps objects in Glacier Flexible Retrieval for at least 90 days (earlier deletion is billed as 90).</summary>
    public const int GlacierMinimumDays = 90;

    /// <summary>The <c>kind:</c> words of a store entry, one per <see cref="StoreKind"/>.</summary>
    public static readonly IReadOnlyList<string> KindNames = ["staticSite", "secureStore", "transientStore"];

    /// <summary>Reads the <c>stores</c> list of one service: every store valid, named uniquely, with a bucket name S3 accepts; null otherwise.</summary>
    internal static List<StoreSettings>? ReadAll(ConfigReader reader, ObjectReader service, string project, string stack, AwsSettings? aws, string serviceName)
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
            var store = Read(reader, o, serviceName);
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
                var bucket = BucketNames.Compose(project, stack, serviceName, store.Name, aws.AccountId);
                var problems = BucketNames.Problems(bucket);
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

    internal static StoreSettings? Read(ConfigReader reader, ObjectReader o, string service)
    {
        // An unknown kind is reported by Choice, under the store's key (which names the service).
        var kind = o.Choice("kind", null, KindNames);
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
