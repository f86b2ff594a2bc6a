namespace Platform.Infra.Settings;

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
