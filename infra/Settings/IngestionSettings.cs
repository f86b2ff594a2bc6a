using System.Text.Json;

namespace Platform.Infra.Settings;

/// <summary>
/// One ingestion pipeline of a service (an entry of <c>platform:services.&lt;service&gt;.ingestion</c>): documents created
/// under <see cref="Prefix"/> in one of the service's transient stores are announced by S3 to an encrypted SQS queue and
/// processed by the ingestion function (docs/ingestion-function.md) through an event source mapping; messages that keep
/// failing end in a dead-letter queue.
/// </summary>
/// <param name="Name">The pipeline's name: its resources are <c>&lt;service&gt;-&lt;name&gt;-*</c> (default <c>&lt;store&gt;-ingest</c>).</param>
/// <param name="Store">The transient store of the service whose bucket notifies the pipeline.</param>
/// <param name="Prefix">The inbox: the notification's <c>filterPrefix</c> and the function's <c>INBOX_PREFIX</c>.</param>
/// <param name="Suffix">The notification's <c>filterSuffix</c> (e.g. <c>.csv</c>), or empty for every key under the prefix.</param>
/// <param name="ProcessedPrefix">Where the function writes processed copies (<c>PROCESSED_PREFIX</c>).</param>
/// <param name="BatchSize">Messages per invocation (1-10000; above 10 needs a batching window).</param>
/// <param name="BatchingWindowSeconds">How long Lambda gathers messages before invoking (0-300).</param>
/// <param name="MaximumConcurrency">The most concurrent invocations the queue may cause (2-1000).</param>
/// <param name="TimeoutSeconds">The function's timeout (1-900).</param>
/// <param name="MemoryMb">The function's memory (256-10240 MB).</param>
/// <param name="VisibilityTimeoutSeconds">The queue's visibility timeout: at least six times the function's timeout.</param>
/// <param name="MaxReceiveCount">Receives before a message moves to the dead-letter queue (1-1000).</param>
/// <param name="RetentionDays">How long the queue keeps a message (1-14 days).</param>
/// <param name="DeadLetterRetentionDays">How long the dead-letter queue keeps one: longer than the queue's.</param>
public sealed record IngestionSettings(
    string Name,
    string Store,
    string Prefix,
    string Suffix,
    string ProcessedPrefix,
    int BatchSize,
    int BatchingWindowSeconds,
    int MaximumConcurrency,
    int TimeoutSeconds,
    int MemoryMb,
    int VisibilityTimeoutSeconds,
    int MaxReceiveCount,
    int RetentionDays,
    int DeadLetterRetentionDays)
{
    /// <summary>Lambda reads at most 10 messages a batch unless it may wait for more (Lambda developer guide, "Lambda parameters for Amazon SQS event source mappings").</summary>
    public const int BatchSizeWithoutWindow = 10;

    /// <summary>The visibility timeout must be at least this many function timeouts (SQS developer guide, "Configuring a queue to trigger an AWS Lambda function").</summary>
    public const int VisibilityTimeoutFactor = 6;

    /// <summary>SQS's largest visibility timeout: 12 hours.</summary>
    public const int MaxVisibilityTimeoutSeconds = 43200;

    /// <summary>SQS keeps a message at most 14 days.</summary>
    public const int MaxRetentionDays = 14;

    /// <summary>The defaults of the function (docs/ingestion-function.md, "Environment").</summary>
    public const string DefaultPrefix = "incoming/";
    public const string DefaultProcessedPrefix = "processed/";

    /// <summary>
    /// Reads the <c>ingestion</c> list of one service: each entry names a transient store of the service; names are
    /// unique; filters on one bucket never overlap (S3 refuses overlapping prefixes/suffixes for the same event type,
    /// S3 user guide "Configuring event notifications using object key name filtering"), and no pipeline writes its
    /// processed copies into another's inbox. Null when any entry is invalid (the problems are reported).
    /// </summary>
    internal static IReadOnlyList<IngestionSettings>? ReadAll(ConfigReader reader, ObjectReader service, string serviceName, IReadOnlyList<StoreSettings>? stores)
    {
        var path = service.Path("ingestion");
        var element = service.Element("ingestion");
        if (element is null) return [];
        if (element.Value.ValueKind != JsonValueKind.Array)
        {
            reader.Add(path, $"service '{serviceName}': must be a list of pipelines, not a {ObjectReader.Describe(element.Value.ValueKind)}.",
                "write it as a YAML list in Pulumi.{stack}.yaml, e.g. ingestion: [{store: inbox}] (docs/configuration.md)");
            return null;
        }

        var pipelines = new List<(IngestionSettings Settings, string Path)>();
        var ok = true;
        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var o = new ObjectReader(reader, $"{path}[{index++}]", item);
            if (!o.Present) { ok = false; continue; }
            var pipeline = Read(reader, o, serviceName, stores);
            o.RejectUnknown();
            if (pipeline is null) { ok = false; continue; }
            if (pipelines.Any(p => p.Settings.Name == pipeline.Name))
            {
                reader.Add(o.Path("name"), $"service '{serviceName}' has two ingestion pipelines named '{pipeline.Name}'.",
                    $"set a distinct name on one of them: {ConfigFix.Set(o.Path("name"), "<name>")}");
                ok = false;
                continue;
            }
            pipelines.Add((pipeline, o.Key));
        }
        // The valid pipelines against each other, even when another entry is invalid: every problem at once.
        foreach (var (a, aPath) in pipelines)
            foreach (var (b, _) in pipelines)
            {
                if (ReferenceEquals(a, b) || a.Store != b.Store) continue;
                if (string.CompareOrdinal(a.Name, b.Name) < 0 && Overlap(a.Prefix, a.Suffix, b.Prefix, b.Suffix))
                {
                    reader.Add($"{aPath}.prefix", $"service '{serviceName}': pipelines '{a.Name}' ({Filter(a)}) and '{b.Name}' ({Filter(b)}) notify on overlapping keys of store '{a.Store}', which S3 refuses.",
                        $"give one of them a prefix or suffix the other's keys cannot have, e.g. {ConfigFix.Set($"{aPath}.prefix", $"{a.Name}/")}");
                    ok = false;
                }
                if (Overlap(a.ProcessedPrefix, "", b.Prefix, b.Suffix))
                {
                    reader.Add($"{aPath}.processedPrefix", $"service '{serviceName}': pipeline '{a.Name}' writes its processed copies under '{a.ProcessedPrefix}', inside the inbox of pipeline '{b.Name}' ({Filter(b)}), which would ingest them again.",
                        ConfigFix.Set($"{aPath}.processedPrefix", $"{a.Name}-processed/"));
                    ok = false;
                }
            }
        return ok ? pipelines.Select(p => p.Settings).ToArray() : null;
    }

    private static IngestionSettings? Read(ConfigReader reader, ObjectReader o, string service, IReadOnlyList<StoreSettings>? stores)
    {
        var store = o.String("store", null, "inbox");
        var ok = store is not null;
        if (store is not null && stores is not null)
        {
            var target = stores.FirstOrDefault(s => s.Name == store);
            var transient = stores.Where(s => s.Kind == StoreKind.TransientStore).Select(s => s.Name).ToArray();
            var fix = transient.Length > 0
                ? ConfigFix.Set(o.Path("store"), transient[0])
                : $"add a store {{kind: transientStore, name: {store}}} to service '{service}' in Pulumi.{{stack}}.yaml";
            if (target is null)
            {
                reader.Add(o.Path("store"), $"service '{service}' has no store named '{store}'.", fix);
                ok = false;
            }
            else if (target.Kind != StoreKind.TransientStore)
            {
                reader.Add(o.Path("store"), $"service '{service}': store '{store}' is a {StoreSettings.KindNames[(int)target.Kind]}; only a transientStore feeds an ingestion pipeline (the function deletes what it ingests).", fix);
                ok = false;
            }
        }

        var defaultName = $"{store ?? "inbox"}-ingest";
        var name = o.String("name", defaultName, "ingest");
        if (name is not null && name != defaultName && !ServiceSettings.NameRule().IsMatch(name))
        {
            reader.Add(o.Path("name"), $"service '{service}': '{name}' is not a valid pipeline name: use 1-20 lower-case letters, digits or '-', starting with a letter.", ConfigFix.Set(o.Path("name"), "ingest"));
            ok = false;
        }
        else if (name is not null && (name == ContainerSettings.PartName || (stores is not null && stores.Any(s => s.Name == name))))
        {
            reader.Add(o.Path("name"), $"service '{service}': '{name}' already names {(name == ContainerSettings.PartName ? "the service's container" : "a store")}; its resources would share names with the pipeline's.",
                ConfigFix.Set(o.Path("name"), $"{name}-ingest"));
            ok = false;
        }

        var prefix = KeyPrefix(reader, o, "prefix", DefaultPrefix);
        var suffix = o.String("suffix", "", ".csv")!;
        var processed = KeyPrefix(reader, o, "processedPrefix", DefaultProcessedPrefix);
        if (prefix is not null && processed is not null && (prefix.StartsWith(processed, StringComparison.Ordinal) || processed.StartsWith(prefix, StringComparison.Ordinal)))
        {
            reader.Add(o.Path("processedPrefix"), $"service '{service}': '{processed}' and the inbox prefix '{prefix}' overlap: processed copies would be ingested again.",
                ConfigFix.Set(o.Path("processedPrefix"), DefaultProcessedPrefix == prefix ? "done/" : DefaultProcessedPrefix));
            ok = false;
        }

        var batchSize = o.Int("batchSize", BatchSizeWithoutWindow, 1, 10000, "messages per invocation");
        var window = o.Int("batchingWindowSeconds", 0, 0, 300, "seconds Lambda gathers messages before invoking");
        if (batchSize > BatchSizeWithoutWindow && window == 0)
        {
            reader.Add(o.Path("batchSize"), $"service '{service}': a batch of {batchSize} messages needs a batching window; without one Lambda reads at most {BatchSizeWithoutWindow}.",
                $"{ConfigFix.Set(o.Path("batchingWindowSeconds"), 5)}, or {ConfigFix.Set(o.Path("batchSize"), BatchSizeWithoutWindow)}");
            ok = false;
        }
        var concurrency = o.Int("maximumConcurrency", 2, 2, 1000, "concurrent invocations the queue may cause");
        var timeout = o.Int("timeoutSeconds", 60, 1, 900, "the function's timeout");
        var memory = o.Int("memoryMb", 512, 256, 10240, "the function's memory; documents are validated in memory");
        var minimumVisibility = VisibilityTimeoutFactor * (timeout ?? 60);
        var visibility = o.Int("visibilityTimeoutSeconds", minimumVisibility, 0, MaxVisibilityTimeoutSeconds, "how long a received message stays hidden");
        if (visibility < minimumVisibility && timeout is not null)
        {
            reader.Add(o.Path("visibilityTimeoutSeconds"), $"service '{service}': {visibility} s is less than {VisibilityTimeoutFactor} times the function's timeout ({timeout} s): a message would reappear while a retried invocation may still hold it.",
                $"{ConfigFix.Set(o.Path("visibilityTimeoutSeconds"), minimumVisibility)}, or lower timeoutSeconds");
            ok = false;
        }
        var receives = o.Int("maxReceiveCount", 5, 1, 1000, "receives before a message moves to the dead-letter queue");
        var retention = o.Int("retentionDays", 4, 1, MaxRetentionDays, "days the queue keeps a message");
        var deadLetterRetention = o.Int("deadLetterRetentionDays", MaxRetentionDays, 1, MaxRetentionDays, "days the dead-letter queue keeps a message");
        if (deadLetterRetention <= retention)
        {
            // SQS keeps a message's original enqueue time when it moves it to a dead-letter queue (SQS developer guide,
            // "Using dead-letter queues"), so a dead-letter queue that keeps messages no longer than the queue loses them.
            reader.Add(o.Path("deadLetterRetentionDays"), $"service '{service}': the dead-letter queue keeps messages {deadLetterRetention} days, not longer than the queue's {retention}; a failed message keeps its original enqueue time and would expire on arrival.",
                $"{ConfigFix.Set(o.Path("deadLetterRetentionDays"), MaxRetentionDays)}, and retentionDays below it");
            ok = false;
        }

        if (!ok || name is null || prefix is null || processed is null || batchSize is null || window is null || concurrency is null ||
            timeout is null || memory is null || visibility is null || receives is null || retention is null || deadLetterRetention is null)
            return null;
        return new IngestionSettings(name, store!, prefix, suffix, processed, batchSize.Value, window.Value, concurrency.Value, timeout.Value,
            memory.Value, visibility.Value, receives.Value, retention.Value, deadLetterRetention.Value);
    }

    /// <summary>A key prefix: not empty, ends in '/', no leading '/'.</summary>
    private static string? KeyPrefix(ConfigReader reader, ObjectReader o, string field, string fallback)
    {
        var value = o.String(field, fallback, fallback);
        if (value is null) return null;
        if (value.Length > 1 && value.EndsWith('/') && !value.StartsWith('/')) return value;
        reader.Add(o.Path(field), $"'{value}' is not a key prefix: it must end in '/', not start with one, and name a folder (the function and its notification agree on it).",
            ConfigFix.Set(o.Path(field), fallback));
        return null;
    }

    /// <summary>Two filters overlap when one prefix starts the other and one suffix ends the other (an empty one matches all).</summary>
    private static bool Overlap(string prefixA, string suffixA, string prefixB, string suffixB) =>
        (prefixA.StartsWith(prefixB, StringComparison.Ordinal) || prefixB.StartsWith(prefixA, StringComparison.Ordinal)) &&
        (suffixA.EndsWith(suffixB, StringComparison.Ordinal) || suffixB.EndsWith(suffixA, StringComparison.Ordinal));

    private static string Filter(IngestionSettings p) => p.Suffix.Length == 0 ? $"prefix '{p.Prefix}'" : $"prefix '{p.Prefix}', suffix '{p.Suffix}'";

    /// <summary>The pipeline of plugin discovery: every option on its default.</summary>
    internal static IngestionSettings Discovery(string store) =>
        new($"{store}-ingest", store, DefaultPrefix, "", DefaultProcessedPrefix, BatchSizeWithoutWindow, 0, 2, 60, 512, 360, 5, 4, MaxRetentionDays);
}
