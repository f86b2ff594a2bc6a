using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Platform.Ingest;

/// <summary>
/// <see cref="IDocumentStore"/> on Amazon S3. A missing object is a 404 only when the role may list the bucket
/// (s3:ListBucket); without it S3 answers 403 and the message fails (docs/ingestion-function.md, "IAM").
/// </summary>
internal sealed class S3DocumentStore(IAmazonS3 s3) : IDocumentStore
{
    private const string MetadataHeaderPrefix = "x-amz-meta-";

    public async Task<IReadOnlyDictionary<string, string>?> GetMetadataAsync(string bucket, string key)
    {
        try
        {
            var response = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key });
            return response.Metadata.Keys.ToDictionary(
                name => name.StartsWith(MetadataHeaderPrefix, StringComparison.OrdinalIgnoreCase) ? name[MetadataHeaderPrefix.Length..] : name,
                name => response.Metadata[name],
                StringComparer.OrdinalIgnoreCase);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Download> DownloadAsync(string bucket, string key, string eTag, long maxBytes)
    {
        GetObjectResponse response;
        try
        {
            response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, EtagToMatch = ETag.Quoted(eTag) });
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return new Download.Missing();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return new Download.Replaced();
        }

        using (response)
        {
            if (response.ContentLength > maxBytes)
                return new Download.TooLarge(response.ContentLength);
            var content = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(content);
            var lastModified = response.LastModified ?? throw new InvalidDataException($"S3 returned {key} without a Last-Modified time");
            return new Download.Found(content, new DateTimeOffset(lastModified.ToUniversalTime()));
        }
    }

    public async Task<bool> CopyAsync(string bucket, string sourceKey, string sourceETag, string targetKey, string contentType, IReadOnlyDictionary<string, string> metadata)
    {
        var request = new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = sourceKey,
            ETagToMatch = ETag.Quoted(sourceETag),
            DestinationBucket = bucket,
            DestinationKey = targetKey,
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = contentType,
        };
        foreach (var (name, value) in metadata)
            request.Metadata.Add(name, value);
        try
        {
            await s3.CopyObjectAsync(request);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string bucket, string key, string eTag)
    {
        try
        {
            // A conditional delete (If-Match) needs s3:GetObject besides s3:DeleteObject:
            // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, IfMatch = ETag.Quoted(eTag) });
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            // Gone already (a redelivered message), or replaced by a newer upload that has its own notification.
        }
    }
}
