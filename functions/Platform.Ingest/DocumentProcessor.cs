using System.Net;
using System.Text.Json;

namespace Platform.Ingest;

/// <summary>
/// Ingests the documents one SQS message announces (docs/ingestion-function.md, "Idempotency"): for each
/// ObjectCreated record under the inbox prefix, read the object (if its ETag is still the announced one),
/// validate it, copy it to the processed prefix with the source ETag as metadata, then delete it from the inbox.
/// The processed copy is the record of what was ingested: a redelivered message finds it and only finishes the
/// delete. Returns false when the message must be retried (and after maxReceiveCount, end in the dead-letter queue).
/// </summary>
internal sealed class DocumentProcessor(IngestSettings settings, IDocumentStore store, IngestLog log, TimeProvider clock)
{
    /// <summary>User metadata of a processed copy: the ETag of the inbox object it was copied from.</summary>
    public const string SourceETagMetadata = "source-etag";

    public async Task<bool> ProcessMessageAsync(SqsMessage message)
    {
        var messageId = message.MessageId;
        S3Notification? notification;
        try
        {
            notification = JsonSerializer.Deserialize(message.Body ?? "", EventJson.Default.S3Notification);
        }
        catch (JsonException)
        {
            notification = null;
        }

        if (notification?.Event == S3Notification.TestEvent)
        {
            log.Info("message.testEvent", ("messageId", messageId));
            return true;
        }
        if (notification?.Records is not { Count: > 0 } records)
        {
            log.Error("message.malformed", ("messageId", messageId), ("reason", "the body is not an S3 event notification with records"));
            return false;
        }

        var succeeded = true;
        foreach (var record in records)
        {
            try
            {
                succeeded &= await ProcessRecordAsync(messageId, record);
            }
            catch (Exception e)
            {
                log.Error("document.failed", ("messageId", messageId), ("key", DecodedKey(record)), ("error", e.GetType().Name), ("detail", e.Message));
                succeeded = false;
            }
        }
        return succeeded;
    }

    private async Task<bool> ProcessRecordAsync(string? messageId, S3EventRecord record)
    {
        var bucket = record.S3?.Bucket?.Name;
        var key = DecodedKey(record);
        var eTag = record.S3?.Item?.ETag is { Length: > 0 } tag ? ETag.Bare(tag) : null;
        if (record.EventName?.StartsWith("ObjectCreated:", StringComparison.Ordinal) != true)
        {
            log.Info("document.skipped", ("messageId", messageId), ("key", key), ("reason", $"event {record.EventName} is not an ObjectCreated event"));
            return true;
        }
        if (bucket is null || key is null || eTag is null)
        {
            log.Error("message.malformed", ("messageId", messageId), ("reason", "the record has no bucket name, object key or ETag"));
            return false;
        }
        if (bucket != settings.Bucket)
        {
            log.Error("document.rejected", ("messageId", messageId), ("bucket", bucket), ("key", key),
                ("reason", $"the notification is for bucket {bucket}, the function ingests {settings.Bucket} ({IngestSettings.BucketVariable})"));
            return false;
        }
        if (!key.StartsWith(settings.InboxPrefix, StringComparison.Ordinal) || key.EndsWith('/'))
        {
            // Outside the inbox (the notification filter is wider than the inbox prefix) or a folder placeholder:
            // ingesting it could loop on the function's own processed copies.
            log.Warn("document.skipped", ("messageId", messageId), ("key", key), ("reason", $"not a document under the inbox prefix {settings.InboxPrefix}"));
            return true;
        }

        var processedKey = settings.ProcessedPrefix + key[settings.InboxPrefix.Length..];
        var fields = new (string, object?)[] { ("messageId", messageId), ("bucket", bucket), ("key", key), ("etag", eTag) };

        var marker = await store.GetMetadataAsync(bucket, processedKey);
        if (marker is not null && marker.TryGetValue(SourceETagMetadata, out var processedETag) && processedETag == eTag)
        {
            await store.DeleteAsync(bucket, key, eTag);
            log.Info("document.alreadyProcessed", [.. fields, ("processedKey", processedKey)]);
            return true;
        }

        if (DocumentRules.KindOf(key, out var kindProblem) is not { } kind)
            return Rejected(fields, kindProblem!);
        if (record.S3?.Item?.Size is { } announced && announced > settings.MaxDocumentBytes)
            return Rejected(fields, DocumentRules.SizeProblem(announced, settings.MaxDocumentBytes));

        switch (await store.DownloadAsync(bucket, key, eTag, settings.MaxDocumentBytes))
        {
            case Download.Missing:
                log.Warn("document.skipped", [.. fields, ("reason", "the object no longer exists and has no processed copy of this version")]);
                return true;
            case Download.Replaced:
                log.Info("document.skipped", [.. fields, ("reason", "the key holds a newer upload, ingested through its own notification")]);
                return true;
            case Download.TooLarge tooLarge:
                return Rejected(fields, DocumentRules.SizeProblem(tooLarge.Bytes, settings.MaxDocumentBytes));
            case Download.Found found:
                var age = clock.GetUtcNow() - found.LastModified;
                if (age > settings.MaxDocumentAge)
                    return Rejected(fields, $"uploaded {age.TotalHours:F0} hours ago, more than the {settings.MaxDocumentAge.TotalHours:F0} hours documents are kept ({IngestSettings.MaxDocumentAgeVariable})");
                if (DocumentRules.Problem(kind, found.Content, settings.MaxDocumentBytes) is { } invalid)
                    return Rejected(fields, invalid);
                var metadata = new Dictionary<string, string> { [SourceETagMetadata] = eTag };
                if (!await store.CopyAsync(bucket, key, eTag, processedKey, kind.ContentType, metadata))
                {
                    log.Info("document.skipped", [.. fields, ("reason", "the object changed or was removed while it was ingested")]);
                    return true;
                }
                await store.DeleteAsync(bucket, key, eTag);
                log.Info("document.processed", [.. fields, ("bytes", (long)found.Content.Length), ("contentType", kind.ContentType), ("processedKey", processedKey)]);
                return true;
            default:
                throw new InvalidOperationException("unknown download outcome");
        }
    }

    private bool Rejected((string, object?)[] fields, string reason)
    {
        // The object stays in the inbox; the message is retried and then lands in the dead-letter queue.
        log.Error("document.rejected", [.. fields, ("reason", reason)]);
        return false;
    }

    /// <summary>The object key: notifications URL-encode it (RFC 1738 style, a space as '+').</summary>
    private static string? DecodedKey(S3EventRecord record) =>
        record.S3?.Item?.Key is { } key ? WebUtility.UrlDecode(key) : null;
}
