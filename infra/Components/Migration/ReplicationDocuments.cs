using System.Globalization;
using Platform.Infra.Model;
using Platform.Infra.Settings;

namespace Platform.Infra.Components;

/// <summary>
/// The replication task's two JSON documents, rendered from settings through <c>fn::toJSON</c> (deterministic, and
/// readable in the template): the table mappings and the task settings.
/// </summary>
public static class ReplicationDocuments
{
    /// <summary>
    /// Selection rules (DMS user guide, "Selection rules and actions"): one <c>include</c> rule per pattern, then one
    /// <c>exclude</c> rule per pattern; DMS applies excludes over includes whatever their order.
    /// </summary>
    public static Value TableMappings(MigrationSettings settings)
    {
        var rules = settings.Include.Select(p => (Pattern: p, Action: "include"))
            .Concat(settings.Exclude.Select(p => (Pattern: p, Action: "exclude")))
            .Select((r, i) => Map(
                ("rule-type", Value.Of("selection")),
                ("rule-id", Value.Of((i + 1).ToString(CultureInfo.InvariantCulture))),
                ("rule-name", Value.Of($"{r.Action}-{i + 1}")),
                ("object-locator", Map(("schema-name", Value.Of(r.Pattern.Schema)), ("table-name", Value.Of(r.Pattern.Table)))),
                ("rule-action", Value.Of(r.Action))));
        return FunctionValue.ToJson(Map(("rules", Value.Of(rules))));
    }

    /// <summary>
    /// Task settings for large tables (DMS user guide, "Specifying task settings for AWS Database Migration Service
    /// tasks"): tables loaded in parallel (<c>FullLoadSettings.MaxFullLoadSubTasks</c>), the target's tables prepared
    /// as the settings say (by default left alone: the schema is created on the target first, with every index,
    /// docs/migration.md), limited-size LOB mode (full LOB mode reads every LOB by lookup, far slower), validation of
    /// every row, and logging to CloudWatch Logs (the group <c>dms-tasks-&lt;instance id&gt;</c> the component creates).
    /// </summary>
    public static Value TaskSettings(MigrationTask task) => FunctionValue.ToJson(Map(
        ("TargetMetadata", Map(
            ("SupportLobs", Value.Of(true)),
            ("FullLobMode", Value.Of(false)),
            ("LimitedSizeLobMode", Value.Of(true)),
            ("LobMaxSize", Value.Of(task.LobMaxSizeKb)))),
        ("FullLoadSettings", Map(
            ("TargetTablePrepMode", Value.Of(task.TargetTablePrepMode)),
            ("MaxFullLoadSubTasks", Value.Of(task.MaxFullLoadSubTasks)))),
        ("ValidationSettings", Map(
            ("EnableValidation", Value.Of(task.Validation)))),
        ("Logging", Map(
            ("EnableLogging", Value.Of(true))))));

    private static MapValue Map(params (string Key, Value Value)[] entries) =>
        MapValue.From(entries.Select(e => new KeyValuePair<string, Value?>(e.Key, e.Value)));
}
