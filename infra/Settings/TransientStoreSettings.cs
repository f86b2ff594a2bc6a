namespace Platform.Infra.Settings;

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
