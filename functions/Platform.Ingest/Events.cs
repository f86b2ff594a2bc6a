using System.Text.Json.Serialization;

namespace Platform.Ingest;

// The JSON the function receives and returns. Only the fields it reads are declared; the rest is ignored.
// SQS batch: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
// S3 notification (in each message body): https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
// Partial batch response: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html

internal sealed record SqsBatch([property: JsonPropertyName("Records")] IReadOnlyList<SqsMessage>? Records);

internal sealed record SqsMessage(string? MessageId, string? Body);

/// <summary>
/// An S3 event notification: <see cref="Records"/>, or for the message S3 sends when a notification is
/// configured, <c>"Event": "s3:TestEvent"</c> and no records.
/// </summary>
internal sealed record S3Notification(
    [property: JsonPropertyName("Records")] IReadOnlyList<S3EventRecord>? Records,
    [property: JsonPropertyName("Event")] string? Event)
{
    public const string TestEvent = "s3:TestEvent";
}

internal sealed record S3EventRecord(string? EventName, S3Entity? S3);

internal sealed record S3Entity(S3BucketEntity? Bucket, [property: JsonPropertyName("object")] S3ObjectEntity? Item);

internal sealed record S3BucketEntity(string? Name);

/// <summary>The object as the notification describes it: the key is URL-encoded (a space arrives as '+').</summary>
internal sealed record S3ObjectEntity(string? Key, long? Size, [property: JsonPropertyName("eTag")] string? ETag);

internal sealed record BatchResponse(IReadOnlyList<BatchItemFailure> BatchItemFailures);

internal sealed record BatchItemFailure(string ItemIdentifier);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SqsBatch))]
[JsonSerializable(typeof(S3Notification))]
[JsonSerializable(typeof(BatchResponse))]
internal sealed partial class EventJson : JsonSerializerContext;
