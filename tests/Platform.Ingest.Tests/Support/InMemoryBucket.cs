using System.Security.Cryptography;
using Platform.Ingest;

namespace Platform.Ingest.Tests.Support;

/// <summary>
/// A bucket in memory that keeps S3's rules for what the function does: ETags are content hashes, conditions on
/// ETags hold, a conditional delete of a missing or replaced object changes nothing. Its methods are virtual so a
/// test can inject a failure with Moq (<c>new Mock&lt;InMemoryBucket&gt; { CallBase = true }</c>).
/// </summary>
internal class InMemoryBucket : IDocumentStore
{
    public const string Name = "platform-dev-documents-inbox";

    /// <summary>The time the tests run at (<see cref="Clock"/>) and upload at, unless they say otherwise.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 8, 10, 0, 0, TimeSpan.Zero);

    public sealed record StoredObject(byte[] Content, string ETag, string ContentType, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset LastModified);

    /// <summary>A clock that always says <see cref="Now"/>.</summary>
    public sealed class Clock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    public Dictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>Uploads <paramref name="content"/> under <paramref name="key"/> and returns its ETag (bare).</summary>
    public string Put(string key, byte[] content, DateTimeOffset? lastModified = null)
    {
        var eTag = Convert.ToHexStringLower(MD5.HashData(content));
        Objects[key] = new StoredObject(content, eTag, "binary/octet-stream", new Dictionary<string, string>(), lastModified ?? Now);
        return eTag;
    }

    public virtual Task<IReadOnlyDictionary<string, string>?> GetMetadataAsync(string bucket, string key) =>
        Task.FromResult(Find(bucket, key)?.Metadata);

    public virtual Task<Download> DownloadAsync(string bucket, string key, string eTag, long maxBytes) =>
        Task.FromResult<Download>(Find(bucket, key) switch
        {
            null => new Download.Missing(),
            { } o when o.ETag != eTag => new Download.Replaced(),
            { } o when o.Content.Length > maxBytes => new Download.TooLarge(o.Content.Length),
            { } o => new Download.Found(o.Content, o.LastModified),
        });

    public virtual Task<bool> CopyAsync(string bucket, string sourceKey, string sourceETag, string targetKey, string contentType, IReadOnlyDictionary<string, string> metadata)
    {
        if (Find(bucket, sourceKey) is not { } source || source.ETag != sourceETag)
            return Task.FromResult(false);
        Objects[targetKey] = source with { ContentType = contentType, Metadata = new Dictionary<string, string>(metadata), LastModified = Now };
        return Task.FromResult(true);
    }

    public virtual Task DeleteAsync(string bucket, string key, string eTag)
    {
        if (Find(bucket, key) is { } o && o.ETag == eTag)
            Objects.Remove(key);
        return Task.CompletedTask;
    }

    private StoredObject? Find(string bucket, string key)
    {
        Assert.Equal(Name, bucket);
        return Objects.GetValueOrDefault(key);
    }
}
