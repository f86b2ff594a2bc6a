namespace Platform.Infra.Settings;

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
                ConfigFix.Set(o.Path("logRetentionDays"), RetentionDays.First(d => d >= retention)));
        if (protect && disposable)
            reader.Add(o.Path("disposableData"), "cannot be true in a protected stage: protected data is never disposable.",
                $"set {o.Path("disposableData")} to false, or {o.Path("protect")} to false for a throw-away stage");
        o.RejectUnknown();
        return new StageProfile(protect, disposable, retention);
    }
}
