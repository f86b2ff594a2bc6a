using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Ingest.Tests.Support;

/// <summary>
/// SQS batches carrying S3 event notifications, shaped like the ones AWS delivers (every field, not only the
/// ones the function reads): https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html and
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
/// </summary>
public static class SampleEvents
{
    public const string QueueArn = "arn:aws:sqs:eu-west-1:111111111111:platform-dev-documents-ingest";

    /// <summary>The message S3 sends to a queue when a notification configuration is created.</summary>
    public static string TestEvent(string bucket = InMemoryBucket.Name) => new JsonObject
    {
        ["Service"] = "Amazon S3",
        ["Event"] = "s3:TestEvent",
        ["Time"] = "2026-01-08T10:00:00.000Z",
        ["Bucket"] = bucket,
        ["RequestId"] = "5582815E1AEA5ADF",
        ["HostId"] = "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
    }.ToJsonString();

    /// <summary>An S3 notification for one new object; <paramref name="encodedKey"/> is the key as S3 sends it (URL-encoded).</summary>
    public static string ObjectCreated(string encodedKey, string eTag, long size, string bucket = InMemoryBucket.Name, string eventName = "ObjectCreated:Put") => new JsonObject
    {
        ["Records"] = new JsonArray(new JsonObject
        {
            ["eventVersion"] = "2.1",
            ["eventSource"] = "aws:s3",
            ["awsRegion"] = "eu-west-1",
            ["eventTime"] = "2026-01-08T10:00:00.000Z",
            ["eventName"] = eventName,
            ["userIdentity"] = new JsonObject { ["principalId"] = "AWS:AIDAINPONIXQXHT3IKHL2" },
            ["requestParameters"] = new JsonObject { ["sourceIPAddress"] = "203.0.113.15" },
            ["responseElements"] = new JsonObject { ["x-amz-request-id"] = "C3D13FE58DE4C810", ["x-amz-id-2"] = "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD" },
            ["s3"] = new JsonObject
            {
                ["s3SchemaVersion"] = "1.0",
                ["configurationId"] = "documents-inbox",
                ["bucket"] = new JsonObject
                {
                    ["name"] = bucket,
                    ["ownerIdentity"] = new JsonObject { ["principalId"] = "A3NL1KOZZKExample" },
                    ["arn"] = $"arn:aws:s3:::{bucket}",
                },
                ["object"] = new JsonObject
                {
                    ["key"] = encodedKey,
                    ["size"] = size,
                    ["eTag"] = eTag,
                    ["sequencer"] = "0055AED6DCD90281E5",
                },
            },
        }),
    }.ToJsonString();

    /// <summary>An SQS batch of messages (id, body), as an event source mapping invokes the function.</summary>
    public static string Batch(params (string Id, string Body)[] messages) => new JsonObject
    {
        ["Records"] = new JsonArray(messages.Select(m => (JsonNode)new JsonObject
        {
            ["messageId"] = m.Id,
            ["receiptHandle"] = $"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a{m.Id}",
            ["body"] = m.Body,
            ["attributes"] = new JsonObject
            {
                ["ApproximateReceiveCount"] = "1",
                ["SentTimestamp"] = "1767866400000",
                ["SenderId"] = "AIDAIENQZJOLO23YVJ4VO",
                ["ApproximateFirstReceiveTimestamp"] = "1767866400010",
            },
            ["messageAttributes"] = new JsonObject(),
            ["md5OfBody"] = "e4e68fb7bd0e697a0ae8f1bb342846b3",
            ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = QueueArn,
            ["awsRegion"] = "eu-west-1",
        }).ToArray()),
    }.ToJsonString();

    /// <summary>The messageIds of a partial batch response.</summary>
    public static IReadOnlyList<string> FailedMessageIds(Stream response)
    {
        using var document = JsonDocument.Parse(response);
        return document.RootElement.GetProperty("batchItemFailures").EnumerateArray()
            .Select(f => f.GetProperty("itemIdentifier").GetString()!)
            .ToList();
    }
}
