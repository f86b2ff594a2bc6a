namespace Platform.Ingest;

/// <summary>
/// The S3 calls the function makes, as small as the function needs them (tests replace it; production uses
/// <see cref="S3DocumentStore"/>). Conditions are on the object's ETag, so a newer upload under the same key is
/// never read, copied or deleted in place of the one the notification announced.
/// </summary>
internal interface IDocumentStore
{
    /// <summary>The object's user metadata (names without the x-amz-meta- prefix), or null when there is no such object.</summary>
    Task<IReadOnlyDictionary<string, string>?> GetMetadataAsync(string bucket, string key);

    /// <summary>Reads the object if its ETag still is <paramref name="eTag"/> and it has at most <paramref name="maxBytes"/> bytes.</summary>
    Task<Download> DownloadAsync(string bucket, string key, string eTag, long maxBytes);

    /// <summary>
    /// Copies <paramref name="sourceKey"/> to <paramref name="targetKey"/> in the same bucket, with this content type
    /// and user metadata, if the source's ETag still is <paramref name="sourceETag"/>. False when it is not, or the
    /// source is gone.
    /// </summary>
    Task<bool> CopyAsync(string bucket, string sourceKey, string sourceETag, string targetKey, string contentType, IReadOnlyDictionary<string, string> metadata);

    /// <summary>Deletes the object if its ETag still is <paramref name="eTag"/>; does nothing when it is gone or was replaced.</summary>
    Task DeleteAsync(string bucket, string key, string eTag);
}

/// <summary>The outcome of <see cref="IDocumentStore.DownloadAsync"/>.</summary>
internal abstract record Download
{
    public sealed record Found(byte[] Content, DateTimeOffset LastModified) : Download;

    /// <summary>No object under the key.</summary>
    public sealed record Missing : Download;

    /// <summary>The key now holds another object (its ETag changed).</summary>
    public sealed record Replaced : Download;

    public sealed record TooLarge(long Bytes) : Download;
}
