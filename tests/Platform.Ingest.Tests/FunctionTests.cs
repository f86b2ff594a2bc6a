using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Moq;
using Platform.Ingest.Tests.Support;

namespace Platform.Ingest.Tests;

/// <summary>
/// The handler end to end on sample SQS batches, against a bucket in memory: what lands where, what the partial
/// batch response reports, what the logs say.
/// </summary>
public class FunctionTests
{
    private static readonly IngestSettings Settings = new(InMemoryBucket.Name, "incoming/", "processed/", MaxDocumentBytes: 64 * 1024, MaxDocumentAge: TimeSpan.FromHours(48));

    private static readonly byte[] Invoice = Encoding.UTF8.GetBytes("""{"invoice":"2026-0001","amount":"42.00","canary":"c4n4ry-invoice"}""");

    private readonly Mock<InMemoryBucket> bucketMock = new() { CallBase = true };
    private readonly StringWriter logs = new();
    private readonly Function function;

    public FunctionTests() => function = new Function(Settings, Bucket, new IngestLog(logs), new InMemoryBucket.Clock());

    private InMemoryBucket Bucket => bucketMock.Object;

    private async Task<IReadOnlyList<string>> InvokeAsync(params (string Id, string Body)[] messages)
    {
        await using var response = await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(SampleEvents.Batch(messages))));
        return SampleEvents.FailedMessageIds(response);
    }

    /// <summary>Uploads a document and returns the SQS message its notification arrives in.</summary>
    private (string Id, string Body) Upload(string messageId, string key, byte[] content, string? encodedKey = null, DateTimeOffset? uploaded = null)
    {
        var eTag = Bucket.Put(key, content, uploaded);
        return (messageId, SampleEvents.ObjectCreated(encodedKey ?? key, eTag, content.Length));
    }

    private List<JsonElement> LogLines() =>
        logs.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();

    private JsonElement LogOf(string @event) => Assert.Single(LogLines(), l => l.GetProperty("event").GetString() == @event);

    [Fact]
    public async Task A_valid_document_is_copied_to_the_processed_prefix_with_its_source_etag_and_removed_from_the_inbox()
    {
        var message = Upload("m-1", "incoming/invoices/2026-0001.json", Invoice);
        var eTag = Bucket.Objects["incoming/invoices/2026-0001.json"].ETag;

        Assert.Empty(await InvokeAsync(message));

        Assert.False(Bucket.Objects.ContainsKey("incoming/invoices/2026-0001.json"));
        var processed = Bucket.Objects["processed/invoices/2026-0001.json"];
        Assert.Equal(Invoice, processed.Content);
        Assert.Equal("application/json", processed.ContentType);
        Assert.Equal(eTag, processed.Metadata[DocumentProcessor.SourceETagMetadata]);
        var log = LogOf("document.processed");
        Assert.Equal("incoming/invoices/2026-0001.json", log.GetProperty("key").GetString());
        Assert.Equal("processed/invoices/2026-0001.json", log.GetProperty("processedKey").GetString());
        Assert.Equal(Invoice.Length, log.GetProperty("bytes").GetInt64());
        Assert.Equal("m-1", log.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task A_redelivered_message_changes_nothing_and_succeeds()
    {
        var message = Upload("m-1", "incoming/a.txt", "first line\n"u8.ToArray());
        Assert.Empty(await InvokeAsync(message));
        var after = Bucket.Objects.ToDictionary();

        Assert.Empty(await InvokeAsync(message));

        Assert.Equal(after, Bucket.Objects);
        bucketMock.Verify(b => b.CopyAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IReadOnlyDictionary<string, string>>()), Times.Once);
        Assert.Equal("processed/a.txt", LogOf("document.alreadyProcessed").GetProperty("processedKey").GetString());
    }

    [Fact]
    public async Task A_redelivery_after_a_failed_delete_finishes_the_delete_without_copying_again()
    {
        var message = Upload("m-1", "incoming/a.txt", "text\n"u8.ToArray());
        bucketMock.SetupSequence(b => b.DeleteAsync(InMemoryBucket.Name, "incoming/a.txt", It.IsAny<string>()))
            .ThrowsAsync(new AmazonS3Exception("Service Unavailable") { StatusCode = HttpStatusCode.ServiceUnavailable })
            .Returns(Task.CompletedTask);

        Assert.Equal(["m-1"], await InvokeAsync(message));
        Assert.True(Bucket.Objects.ContainsKey("processed/a.txt"));

        bucketMock.Setup(b => b.DeleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>())).CallBase();
        Assert.Empty(await InvokeAsync(message));

        Assert.Equal(["processed/a.txt"], Bucket.Objects.Keys);
        bucketMock.Verify(b => b.CopyAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IReadOnlyDictionary<string, string>>()), Times.Once);
    }

    [Fact]
    public async Task Poison_messages_are_reported_as_batch_item_failures_while_the_rest_of_the_batch_is_ingested()
    {
        var good = Upload("m-good", "incoming/good.json", Invoice);
        var notPdf = Upload("m-not-pdf", "incoming/scan.pdf", "PK\u0003\u0004 a zip file renamed"u8.ToArray());
        var notJson = ("m-not-s3", "hello, not an S3 notification");
        var alsoGood = Upload("m-also-good", "incoming/notes.txt", "remember the milk\n"u8.ToArray());

        var failed = await InvokeAsync(good, notPdf, notJson, alsoGood);

        Assert.Equal(["m-not-pdf", "m-not-s3"], failed);
        Assert.Equal(["incoming/scan.pdf", "processed/good.json", "processed/notes.txt"], Bucket.Objects.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("not a PDF", LogOf("document.rejected").GetProperty("reason").GetString());
        Assert.Equal("m-not-s3", LogOf("message.malformed").GetProperty("messageId").GetString());
        var done = LogOf("batch.done");
        Assert.Equal(4, done.GetProperty("messages").GetInt32());
        Assert.Equal(2, done.GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task An_invalid_document_keeps_failing_on_every_delivery_so_the_message_ends_in_the_dead_letter_queue()
    {
        var message = Upload("m-1", "incoming/broken.json", """{"invoice": "2026-0002", "canary": "c4n4ry-broken" """u8.ToArray());

        for (var receive = 1; receive <= 3; receive++)
            Assert.Equal(["m-1"], await InvokeAsync(message));

        Assert.Equal(["incoming/broken.json"], Bucket.Objects.Keys);
        Assert.All(LogLines().Where(l => l.GetProperty("event").GetString() == "document.rejected"),
            l => Assert.StartsWith("not valid JSON: syntax error at line 1", l.GetProperty("reason").GetString()));
        Assert.DoesNotContain("c4n4ry", logs.ToString());
    }

    [Fact]
    public async Task The_s3_test_event_is_acknowledged_and_touches_nothing()
    {
        Assert.Empty(await InvokeAsync(("m-test", SampleEvents.TestEvent())));

        Assert.Empty(Bucket.Objects);
        Assert.Empty(bucketMock.Invocations);
        Assert.Equal("m-test", LogOf("message.testEvent").GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task Url_encoded_keys_are_decoded_before_use()
    {
        // S3 encodes a space as '+', so a literal '+' arrives as %2B.
        var message = Upload("m-1", "incoming/Q3 report (final) été+1.txt", "résumé\n"u8.ToArray(),
            encodedKey: "incoming/Q3+report+%28final%29+%C3%A9t%C3%A9%2B1.txt");

        Assert.Empty(await InvokeAsync(message));

        Assert.Equal(["processed/Q3 report (final) été+1.txt"], Bucket.Objects.Keys);
    }

    [Fact]
    public async Task A_document_replaced_by_a_newer_upload_is_left_to_the_newer_uploads_own_notification()
    {
        var stale = Upload("m-old", "incoming/a.txt", "version 1\n"u8.ToArray());
        var fresh = Upload("m-new", "incoming/a.txt", "version 2\n"u8.ToArray());

        Assert.Empty(await InvokeAsync(stale));
        Assert.Equal("version 2\n"u8.ToArray(), Bucket.Objects["incoming/a.txt"].Content);
        Assert.Empty(await InvokeAsync(fresh));

        Assert.Equal("version 2\n"u8.ToArray(), Bucket.Objects["processed/a.txt"].Content);
        Assert.Equal(["processed/a.txt"], Bucket.Objects.Keys);
    }

    [Fact]
    public async Task Keys_outside_the_inbox_are_skipped_so_processed_copies_never_loop_back()
    {
        var message = Upload("m-1", "processed/a.txt", "already processed\n"u8.ToArray());

        Assert.Empty(await InvokeAsync(message));

        Assert.Equal(["processed/a.txt"], Bucket.Objects.Keys);
        Assert.Empty(bucketMock.Invocations);
        Assert.Contains("not a document under the inbox prefix incoming/", LogOf("document.skipped").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_notification_for_another_bucket_fails_instead_of_reading_it()
    {
        var message = ("m-1", SampleEvents.ObjectCreated("incoming/a.txt", "0123456789abcdef0123456789abcdef", 10, bucket: "someone-elses-bucket"));

        Assert.Equal(["m-1"], await InvokeAsync(message));

        Assert.Empty(bucketMock.Invocations);
        Assert.Contains($"the function ingests {InMemoryBucket.Name} (DOCUMENTS_BUCKET)", LogOf("document.rejected").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_document_announced_larger_than_the_limit_is_rejected_without_being_downloaded()
    {
        var message = ("m-1", SampleEvents.ObjectCreated("incoming/huge.txt", "0123456789abcdef0123456789abcdef", Settings.MaxDocumentBytes + 1));

        Assert.Equal(["m-1"], await InvokeAsync(message));

        bucketMock.Verify(b => b.DownloadAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<long>()), Times.Never);
        Assert.Contains("more than the limit of 65536 (MAX_DOCUMENT_BYTES)", LogOf("document.rejected").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_document_older_than_its_retention_is_not_ingested()
    {
        var late = Upload("m-late", "incoming/late.txt", "redriven from the dead-letter queue\n"u8.ToArray(), uploaded: InMemoryBucket.Now.AddHours(-49));
        var onTime = Upload("m-on-time", "incoming/on-time.txt", "just in time\n"u8.ToArray(), uploaded: InMemoryBucket.Now.AddHours(-47));

        Assert.Equal(["m-late"], await InvokeAsync(late, onTime));

        Assert.Equal(["incoming/late.txt", "processed/on-time.txt"], Bucket.Objects.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("uploaded 49 hours ago, more than the 48 hours documents are kept (MAX_DOCUMENT_AGE_HOURS)", LogOf("document.rejected").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_s3_error_fails_only_its_own_message_and_is_logged_with_its_type()
    {
        var throttled = Upload("m-throttled", "incoming/a.txt", "a\n"u8.ToArray());
        var fine = Upload("m-fine", "incoming/b.txt", "b\n"u8.ToArray());
        bucketMock.Setup(b => b.GetMetadataAsync(InMemoryBucket.Name, "processed/a.txt"))
            .ThrowsAsync(new AmazonS3Exception("Please reduce your request rate.") { StatusCode = HttpStatusCode.ServiceUnavailable });

        Assert.Equal(["m-throttled"], await InvokeAsync(throttled, fine));

        Assert.Equal(["incoming/a.txt", "processed/b.txt"], Bucket.Objects.Keys.Order(StringComparer.Ordinal));
        var log = LogOf("document.failed");
        Assert.Equal("AmazonS3Exception", log.GetProperty("error").GetString());
        Assert.Equal("incoming/a.txt", log.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Events_other_than_object_created_are_skipped()
    {
        var message = ("m-1", SampleEvents.ObjectCreated("incoming/a.txt", "0123456789abcdef0123456789abcdef", 10, eventName: "ObjectRemoved:Delete"));

        Assert.Empty(await InvokeAsync(message));

        Assert.Empty(bucketMock.Invocations);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"Records": null}""")]
    [InlineData("""{"Records": [{"body": "{}"}]}""")]
    public async Task Input_that_is_not_an_sqs_batch_fails_the_whole_invocation(string input)
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(input))));

        Assert.Equal("batch.invalid", LogLines().Single().GetProperty("event").GetString());
    }

    [Fact]
    public async Task Logs_are_one_json_object_a_line_and_never_carry_document_content()
    {
        var good = Upload("m-1", "incoming/a.json", Invoice);
        var bad = Upload("m-2", "incoming/b.txt", "c4n4ry-binary\0\u0001"u8.ToArray());

        await InvokeAsync(good, bad);

        Assert.All(LogLines(), l => Assert.Equal(JsonValueKind.Object, l.ValueKind));
        Assert.Equal(["document.processed", "document.rejected", "batch.done"], LogLines().Select(l => l.GetProperty("event").GetString()));
        Assert.DoesNotContain("c4n4ry", logs.ToString());
    }
}
