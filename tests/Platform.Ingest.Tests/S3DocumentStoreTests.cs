using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Moq;

namespace Platform.Ingest.Tests;

/// <summary>The S3 requests behind <see cref="IDocumentStore"/>, and how S3's answers map to its outcomes.</summary>
public class S3DocumentStoreTests
{
    private const string Bucket = "platform-dev-documents-inbox";
    private const string BareETag = "9b2cf535f27731c974343645a3985328";

    private readonly Mock<IAmazonS3> s3 = new(MockBehavior.Strict);
    private S3DocumentStore Store => new(s3.Object);

    private static AmazonS3Exception Error(HttpStatusCode status) => new($"S3 answered {(int)status}") { StatusCode = status };

    [Fact]
    public async Task Download_asks_for_the_announced_etag_and_returns_the_content()
    {
        GetObjectRequest? sent = null;
        s3.Setup(c => c.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()))
            .Callback<GetObjectRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new GetObjectResponse { ContentLength = 5, ResponseStream = new MemoryStream("hello"u8.ToArray()), LastModified = new DateTime(2026, 1, 8, 9, 30, 0, DateTimeKind.Utc) });

        var found = Assert.IsType<Download.Found>(await Store.DownloadAsync(Bucket, "incoming/a.txt", BareETag, maxBytes: 5));

        Assert.Equal("hello"u8.ToArray(), found.Content);
        Assert.Equal(new DateTimeOffset(2026, 1, 8, 9, 30, 0, TimeSpan.Zero), found.LastModified);
        Assert.Equal((Bucket, "incoming/a.txt", $"\"{BareETag}\""), (sent!.BucketName, sent.Key, sent.EtagToMatch));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, typeof(Download.Missing))]
    [InlineData(HttpStatusCode.PreconditionFailed, typeof(Download.Replaced))]
    public async Task Download_maps_a_missing_or_replaced_object(HttpStatusCode status, Type outcome)
    {
        s3.Setup(c => c.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(Error(status));

        Assert.IsType(outcome, await Store.DownloadAsync(Bucket, "incoming/a.txt", BareETag, 5));
    }

    /// <summary>A response body that must not be read.</summary>
    private sealed class UnreadableBody(int length) : MemoryStream(new byte[length])
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("the body was read");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new InvalidOperationException("the body was read");
    }

    [Fact]
    public async Task Download_does_not_read_an_object_over_the_limit_and_releases_the_response()
    {
        var body = new UnreadableBody(6);
        s3.Setup(c => c.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetObjectResponse { ContentLength = 6, ResponseStream = body });

        Assert.Equal(6, Assert.IsType<Download.TooLarge>(await Store.DownloadAsync(Bucket, "incoming/a.txt", BareETag, 5)).Bytes);
        Assert.False(body.CanRead);
    }

    [Fact]
    public async Task Access_denied_is_not_mistaken_for_a_missing_object()
    {
        s3.Setup(c => c.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(Error(HttpStatusCode.Forbidden));
        s3.Setup(c => c.GetObjectMetadataAsync(It.IsAny<GetObjectMetadataRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(Error(HttpStatusCode.Forbidden));
        s3.Setup(c => c.DeleteObjectAsync(It.IsAny<DeleteObjectRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(Error(HttpStatusCode.Forbidden));

        await Assert.ThrowsAsync<AmazonS3Exception>(() => Store.DownloadAsync(Bucket, "incoming/a.txt", BareETag, 5));
        await Assert.ThrowsAsync<AmazonS3Exception>(() => Store.GetMetadataAsync(Bucket, "processed/a.txt"));
        await Assert.ThrowsAsync<AmazonS3Exception>(() => Store.DeleteAsync(Bucket, "incoming/a.txt", BareETag));
    }

    [Fact]
    public async Task Metadata_comes_back_without_the_header_prefix_and_null_for_a_missing_object()
    {
        var response = new GetObjectMetadataResponse();
        response.Metadata["source-etag"] = BareETag;
        s3.Setup(c => c.GetObjectMetadataAsync(It.Is<GetObjectMetadataRequest>(r => r.Key == "processed/a.txt"), It.IsAny<CancellationToken>())).ReturnsAsync(response);
        s3.Setup(c => c.GetObjectMetadataAsync(It.Is<GetObjectMetadataRequest>(r => r.Key == "processed/b.txt"), It.IsAny<CancellationToken>())).ThrowsAsync(Error(HttpStatusCode.NotFound));

        Assert.Equal(BareETag, (await Store.GetMetadataAsync(Bucket, "processed/a.txt"))!["source-etag"]);
        Assert.Null(await Store.GetMetadataAsync(Bucket, "processed/b.txt"));
    }

    [Fact]
    public async Task Copy_is_conditional_on_the_source_etag_and_replaces_content_type_and_metadata()
    {
        CopyObjectRequest? sent = null;
        s3.Setup(c => c.CopyObjectAsync(It.IsAny<CopyObjectRequest>(), It.IsAny<CancellationToken>()))
            .Callback<CopyObjectRequest, CancellationToken>((r, _) => sent = r)
            .ReturnsAsync(new CopyObjectResponse());

        Assert.True(await Store.CopyAsync(Bucket, "incoming/a.json", BareETag, "processed/a.json", "application/json", new Dictionary<string, string> { ["source-etag"] = BareETag }));

        Assert.Equal((Bucket, "incoming/a.json", Bucket, "processed/a.json"), (sent!.SourceBucket, sent.SourceKey, sent.DestinationBucket, sent.DestinationKey));
        Assert.Equal($"\"{BareETag}\"", sent.ETagToMatch);
        Assert.Equal(S3MetadataDirective.REPLACE, sent.MetadataDirective);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal(BareETag, sent.Metadata["source-etag"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    public async Task Copy_reports_a_source_that_changed_or_went_away(HttpStatusCode status)
    {
        s3.Setup(c => c.CopyObjectAsync(It.IsAny<CopyObjectRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(Error(status));

        Assert.False(await Store.CopyAsync(Bucket, "incoming/a.json", BareETag, "processed/a.json", "application/json", new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    public async Task Delete_is_conditional_on_the_etag_and_quiet_when_the_object_is_gone_or_replaced(HttpStatusCode? status)
    {
        DeleteObjectRequest? sent = null;
        var setup = s3.Setup(c => c.DeleteObjectAsync(It.IsAny<DeleteObjectRequest>(), It.IsAny<CancellationToken>()))
            .Callback<DeleteObjectRequest, CancellationToken>((r, _) => sent = r);
        if (status is { } error) setup.ThrowsAsync(Error(error));
        else setup.ReturnsAsync(new DeleteObjectResponse());

        await Store.DeleteAsync(Bucket, "incoming/a.json", BareETag);

        Assert.Equal((Bucket, "incoming/a.json", $"\"{BareETag}\""), (sent!.BucketName, sent.Key, sent.IfMatch));
    }
}
